/**
 * How a node is measured and traced: {@link io.frpc.observability.FrpcObserver} receives measurements of
 * calls, requests, sends and refused connections (the Spring starter feeds them to Micrometer), and
 * {@link io.frpc.observability.FrpcTracer} carries a trace from a call to the command it runs. What a node
 * reports about its state is in {@link io.frpc.status}.
 */
package io.frpc.observability;

/**
 * What a node reports about itself for operations, from {@link io.frpc.FrpcNode#status()}: the node, the
 * nodes it knows and their connection state, the modules it serves, and its pub/sub subscriptions. The
 * Actuator endpoint {@code frpc} shows it; every type is an immutable snapshot with no secrets in it.
 */
package io.frpc.status;

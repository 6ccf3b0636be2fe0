/**
 * Serving this node's modules and channels over another protocol: a listener of that protocol (frpc-skynet's, for
 * skynet_fly peers) opens a {@link io.frpc.bridge.BridgeConnection} per peer connection and hands its requests and
 * subscriptions over. Requests run exactly as frpc callers' do — in each instance's mailbox and order, with
 * deadlines, cancellation, metrics, traces and the node's drain on shutdown; subscriptions get what frpc subscribers
 * get, with the same back-pressure. Arguments, results and publications are JSON trees, which the bridge converts
 * to and from its own values.
 */
package io.frpc.bridge;

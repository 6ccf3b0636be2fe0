/**
 * Serving this node's modules over another protocol: a listener of that protocol (frpc-skynet's, for skynet_fly
 * callers) opens a {@link io.frpc.bridge.BridgeConnection} per peer connection and hands its requests over, and they
 * run exactly as frpc callers' do — in each instance's mailbox and order, with deadlines, cancellation, metrics,
 * traces and the node's drain on shutdown. Arguments go in and results come out as JSON trees, which the bridge
 * converts to and from its own values.
 */
package io.frpc.bridge;

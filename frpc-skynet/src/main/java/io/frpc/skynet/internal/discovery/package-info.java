/**
 * skynet_fly's node registrations in Redis ({@code skynet_fly:rpc:<svr_name>:<svr_id>}), for frpc's own use (not a
 * public API): {@link io.frpc.skynet.internal.discovery.SkynetNodeRegistrar} announces a Java node to skynet_fly
 * nodes, {@link io.frpc.skynet.internal.discovery.SkynetNodeWatcher} reports skynet_fly nodes (and Java nodes
 * announced the same way) to a {@link io.frpc.skynet.internal.discovery.RegisteredNodeListener}. The only package of
 * frpc-skynet that needs Spring Data Redis (an optional dependency).
 */
package io.frpc.skynet.internal.discovery;

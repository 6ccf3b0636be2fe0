/**
 * Pub/sub and state sync between nodes (seed: watch, watch_syn). A node publishes on channels with
 * {@link io.frpc.pubsub.FrpcPublisher}; other nodes subscribe through
 * {@link io.frpc.FrpcTemplate#channels(String)}. Channel names are {@code :}-separated segments
 * ({@code game:1:over}); a subscription may name a pattern in which {@code *} stands for exactly one
 * segment ({@code game:*:over}).
 */
package io.frpc.pubsub;

/**
 * Where frpc reads the time and sets its timers: {@link io.frpc.time.FrpcClock} (the system's time and a wheel
 * timer in production, {@link io.frpc.time.ManualClock} in tests). Every deadline, expiry, back-off and rate-limited log goes
 * through a clock, so its logic is tested by moving a manual clock instead of waiting; a connection's own timers
 * (handshake timeout, heartbeats) run on its Netty event loop, whose time a test moves with {@code EmbeddedChannel}.
 */
package io.frpc.time;

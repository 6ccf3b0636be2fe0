/**
 * skynet_fly's frpc handshake (pack id 1) and payload encryption, for frpc's own use (not a public API).
 *
 * <p>A client's connection to a skynet_fly server ({@code sessions}: the connection's counter, a
 * {@code LongSupplier}):
 * <pre>{@code
 * pipeline.addLast(SkynetMessageDecoder.lengthPrefixDecoder())
 *     .addLast("decoder", new SkynetMessageDecoder(Direction.RESPONSES))
 *     .addLast(new SkynetMessageEncoder())
 *     .addLast(new SkynetClientHandshake(svrName, svrId, security, watch, sessions, secureRandom,
 *         SkynetClientHandshake.DEFAULT_TIMEOUT))
 *     .addLast(client);   // SkynetHandshakeCompleted: ready (on a watch connection, replace "decoder" by
 *                         // Direction.PUSHES first); SkynetHandshakeException in exceptionCaught: failed, closed
 * }</pre>
 * A server's accepted connection:
 * <pre>{@code
 * pipeline.addLast(SkynetMessageDecoder.lengthPrefixDecoder())
 *     .addLast(new SkynetMessageDecoder(Direction.REQUESTS))
 *     .addLast(new SkynetMessageEncoder())
 *     .addLast(new SkynetServerHandshake(security, secureRandom, SkynetServerHandshake.DEFAULT_TIMEOUT))
 *     .addLast(server);   // SkynetPeerIdentified: who, and whether the watch connection; requests follow
 * }</pre>
 * With encryption the handshake leaves a payload cipher in its place: the handlers after it see and write
 * payloads in clear. {@link io.frpc.skynet.internal.handshake.SkynetCrypto} holds skynet.crypt's primitives.
 */
package io.frpc.skynet.internal.handshake;

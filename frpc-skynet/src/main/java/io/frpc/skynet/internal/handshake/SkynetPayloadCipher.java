package io.frpc.skynet.internal.handshake;

import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * skynet_fly's payload encryption after a handshake on a node with {@code is_encrypt} (frpc_server.lua
 * {@code handle_dispatch}, {@code pub_message}, the call path of {@code HANDLE}; frpc_client_m.lua
 * {@code crypt_msg}): the payload of every request, ok response and push is DES-encrypted ({@link
 * SkynetCrypto#desEncode}) under the key of the handshake; the text of an error response never is. Frame headers
 * (names, sessions, mod keys, channel names) stay clear, and a payload is encrypted before it is cut into parts, so
 * it sits between the message codec and the rest of the pipeline, where the handshake was.
 *
 * <p>A client encrypts the requests it writes and decrypts the ok responses and pushes it reads; an ok response that
 * does not decrypt is passed on as a failed response with the reason, so the call fails and the connection stays; a
 * push that does not decrypt is dropped and its {@link SkynetCryptoException} fired down the pipeline. A server
 * decrypts the requests it reads and encrypts the ok responses and pushes it writes; a request that does not decrypt
 * is answered, when it expects a response, with skynet_fly's error {@code "desdecode err cluster_name =
 * <svr_name>:<svr_id>"}, and otherwise dropped with a warning, as skynet_fly does.
 *
 * <p>On a watch connection, skynet_fly's client encrypts its subscription requests and decrypts pushes whenever its
 * handshake had the challenge, also with a secret key and no encryption, where skynet_fly's own server neither
 * decrypts nor encrypts them (so pub/sub between skynet_fly nodes is broken in that configuration). Ours follows the
 * client on both sides ({@link SkynetSecurity#encryptsPayloads}): a Java server serves skynet_fly's subscribers in
 * every configuration; a Java subscriber of a skynet_fly server with a secret key alone meets skynet_fly's bug.
 *
 * <p>Installed by {@link SkynetClientHandshake} and {@link SkynetServerHandshake} in their place; one per
 * connection.
 */
final class SkynetPayloadCipher extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(SkynetPayloadCipher.class);

  private final byte[] key;
  /** The client's {@code svr_name:svr_id} on a server's connection; {@code null} on a client's. */
  private final String peerClusterName;

  private SkynetPayloadCipher(byte[] key, String peerClusterName) {
    this.key = key.clone();
    this.peerClusterName = peerClusterName;
  }

  /** The cipher of a client's connection. */
  static SkynetPayloadCipher forClient(byte[] key) {
    return new SkynetPayloadCipher(key, null);
  }

  /** The cipher of a server's connection from the client named {@code peerClusterName} ({@code svr_name:svr_id}). */
  static SkynetPayloadCipher forServer(byte[] key, String peerClusterName) {
    return new SkynetPayloadCipher(key, peerClusterName);
  }

  private boolean server() {
    return peerClusterName != null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (server() && msg instanceof SkynetRequest request) {
      readRequest(ctx, request);
    } else if (!server() && msg instanceof SkynetResponse response && response.ok()) {
      readResponse(ctx, response);
    } else if (!server() && msg instanceof SkynetPush push) {
      readPush(ctx, push);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void readRequest(ChannelHandlerContext ctx, SkynetRequest request) {
    byte[] payload;
    try {
      payload = SkynetCrypto.desDecode(key, request.payload());
    } catch (SkynetCryptoException e) {
      log.warn("A request from {} (pack id {}, session {}) does not decrypt: {}", peerClusterName,
          request.packId(), request.session(), e.getMessage());
      if (request.expectsResponse()) {
        ctx.writeAndFlush(new SkynetResponse(request.session(), false,
            ("desdecode err cluster_name = " + peerClusterName).getBytes(StandardCharsets.UTF_8)));
      }
      return;
    }
    ctx.fireChannelRead(new SkynetRequest(request.packId(), request.moduleName(), request.instanceName(),
        request.session(), request.modKey(), request.expectsResponse(), payload));
  }

  private void readResponse(ChannelHandlerContext ctx, SkynetResponse response) {
    SkynetResponse decrypted;
    try {
      decrypted = new SkynetResponse(response.session(), true, SkynetCrypto.desDecode(key, response.payload()));
    } catch (SkynetCryptoException e) {
      decrypted = new SkynetResponse(response.session(), false,
          ("desdecode err: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
    }
    ctx.fireChannelRead(decrypted);
  }

  private void readPush(ChannelHandlerContext ctx, SkynetPush push) {
    byte[] payload;
    try {
      payload = SkynetCrypto.desDecode(key, push.payload());
    } catch (SkynetCryptoException e) {
      ctx.fireExceptionCaught(new SkynetCryptoException("push of pack id " + push.packId() + " on channel "
          + push.channelName() + " does not decrypt: " + e.getMessage()));
      return;
    }
    ctx.fireChannelRead(new SkynetPush(push.packId(), push.session(), push.channelName(), payload));
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    Object out = msg;
    if (!server() && msg instanceof SkynetRequest request) {
      out = new SkynetRequest(request.packId(), request.moduleName(), request.instanceName(), request.session(),
          request.modKey(), request.expectsResponse(), SkynetCrypto.desEncode(key, request.payload()));
    } else if (server() && msg instanceof SkynetResponse response && response.ok()) {
      out = new SkynetResponse(response.session(), true, SkynetCrypto.desEncode(key, response.payload()));
    } else if (server() && msg instanceof SkynetPush push) {
      out = new SkynetPush(push.packId(), push.session(), push.channelName(),
          SkynetCrypto.desEncode(key, push.payload()));
    }
    ctx.write(out, promise);
  }
}

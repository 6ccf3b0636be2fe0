package io.frpc.skynet.internal.handshake;

import io.frpc.skynet.LuaBoolean;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaNil;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetFormatException;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of skynet_fly's frpc handshake (frpc_server.lua {@code hand_shake}), as a handler placed after
 * the message codec ({@code SkynetMessageDecoder} of requests, {@code SkynetMessageEncoder}) of an accepted
 * connection. It answers requests of pack id 1 as skynet_fly's server does, with ok responses holding one packed
 * string, never encrypted:
 * <ol>
 *   <li>when the {@link SkynetSecurity} has a secret key or encryption, three steps first, in this order:
 *       {@code {step=1}} is answered by {@code base64(challenge)} for a fresh {@link SkynetCrypto#randomKey};
 *       {@code {step=2, client_key=<base64 of 8 bytes>}} by {@code base64(dhexchange(k))} for another fresh key
 *       {@code k}, both sides deriving the 8-byte DES key; {@code {step=3, challenge=hmac64(challenge, key)}} by
 *       {@code "ok"};</li>
 *   <li>the client's identity {@code {svr_name=<string>, svr_id=<integer>, secret_key=<string>|nil,
 *       is_watch=<any>}} (DES-encrypted under the key when the steps ran): answered by {@code "secret_key err"}
 *       when the server has a secret key and the client's differs, else by {@code "ok"}.</li>
 * </ol>
 * On {@code "ok"} to the identity it puts a payload cipher in its own place when the security has encryption (see
 * {@link SkynetPeerIdentified}), fires {@link SkynetPeerIdentified} and removes itself.
 *
 * <p>Where skynet_fly's server answers nothing (a step out of order or unknown, a step 2 without an 8-byte key, a
 * step 3 whose answer is wrong, an identity without {@code svr_name} or {@code svr_id}, a payload that does not
 * decrypt or unpack), this one answers nothing too; unlike skynet_fly, which leaves the connection open until its
 * 10 s deadline, it then closes the connection at once, as it does right after answering {@code "secret_key err"}
 * and when the handshake takes longer than the timeout. Each failure fires a {@link SkynetHandshakeException} that
 * says what the client did ({@code exceptionCaught}) before the close. Requests of any other pack id before the
 * handshake completes are dropped, as skynet_fly does. Stricter than skynet_fly, to bound what a hostile client can
 * make it do: payloads over 4 KiB, tables of more than 16 entries, a {@code svr_name} that is not a string of 1 to
 * 255 bytes and a {@code svr_id} that is not an integer are refused.
 *
 * <p>One per connection; all its state is touched on the connection's event loop only.
 */
public final class SkynetServerHandshake extends ChannelInboundHandlerAdapter {

  /** skynet_fly's deadline for a connection's handshake: 10 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(SkynetServerHandshake.class);

  private enum Step {
    NOT_STARTED, CHALLENGE, CLIENT_KEY, CHALLENGE_ANSWER, IDENTITY, DONE, FAILED
  }

  private final SkynetSecurity security;
  private final byte[] secretKey;
  private final RandomGenerator random;
  private final Duration timeout;

  private Step step = Step.NOT_STARTED;
  private byte[] challenge;
  private byte[] desKey;
  private ScheduledFuture<?> deadline;
  /** The peer's address, for messages (a closed channel no longer has it). */
  private Object peer;

  /**
   * A handshake that admits clients configured with the same security.
   *
   * @param security the secret key clients must present and whether payloads are encrypted
   * @param random the source of challenges and private Diffie-Hellman keys (a {@link java.security.SecureRandom}
   *     in production)
   * @param timeout how long a client may take for the whole handshake ({@link #DEFAULT_TIMEOUT} as skynet_fly)
   */
  public SkynetServerHandshake(SkynetSecurity security, RandomGenerator random, Duration timeout) {
    this.security = Objects.requireNonNull(security, "security");
    this.secretKey = security.secretKeyBytes();
    this.random = Objects.requireNonNull(random, "random");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  private void start(ChannelHandlerContext ctx) {
    if (step != Step.NOT_STARTED) {
      return;
    }
    peer = ctx.channel().remoteAddress();
    step = security.challenged() ? Step.CHALLENGE : Step.IDENTITY;
    deadline = ctx.executor().schedule(() -> fail(ctx, "it did not complete the handshake within "
        + timeout.toMillis() + " ms"), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (step == Step.DONE) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (step == Step.FAILED || step == Step.NOT_STARTED) {
      return;
    }
    if (!(msg instanceof SkynetRequest request) || request.packId() != HandshakeMessages.PACK_ID) {
      log.debug("Dropped {} from {}: it came before the handshake completed", HandshakeMessages.printable(msg),
          peer);
      return;
    }
    if (request.payload().length > HandshakeMessages.MAX_PAYLOAD_BYTES) {
      fail(ctx, "its handshake payload has " + request.payload().length + " bytes, more than "
          + HandshakeMessages.MAX_PAYLOAD_BYTES);
      return;
    }
    LuaTable table;
    try {
      table = table(request.payload());
    } catch (SkynetFormatException | SkynetCryptoException e) {
      fail(ctx, "its " + describe(step) + " is unreadable: " + e.getMessage());
      return;
    }
    if (table == null) {
      fail(ctx, "its " + describe(step) + " is not a table of at most " + HandshakeMessages.MAX_TABLE_ENTRIES
          + " entries");
      return;
    }
    try {
      advance(ctx, request.session(), table);
    } catch (SkynetCryptoException e) {
      fail(ctx, "its " + describe(step) + " is unusable: " + e.getMessage());
    }
  }

  private LuaTable table(byte[] payload) {
    byte[] plain = step == Step.IDENTITY && desKey != null ? SkynetCrypto.desDecode(desKey, payload) : payload;
    List<LuaValue> values = HandshakeMessages.PACK.unpack(plain);
    if (values.isEmpty() || !(values.get(0) instanceof LuaTable table)
        || table.array().size() + table.hash().size() > HandshakeMessages.MAX_TABLE_ENTRIES) {
      return null;
    }
    return table;
  }

  private void advance(ChannelHandlerContext ctx, long session, LuaTable table) {
    if (step != Step.IDENTITY) {
      LuaValue stepNumber = table.get("step");
      long expected = step.ordinal() - Step.CHALLENGE.ordinal() + 1;
      if (!(stepNumber instanceof LuaInteger number) || number.value() != expected) {
        fail(ctx, "it sent " + (stepNumber.isNil() ? "a table without step"
            : "step " + HandshakeMessages.printable(stepNumber)) + " where step "
            + expected + " belongs" + (stepNumber.isNil() && table.get("svr_name") instanceof LuaString
            ? " (its identity without the challenge: it has neither secret_key nor is_encrypt, this server has)"
            : ""));
        return;
      }
    }
    switch (step) {
      case CHALLENGE -> {
        challenge = SkynetCrypto.randomKey(random);
        step = Step.CLIENT_KEY;
        ctx.writeAndFlush(HandshakeMessages.reply(session, SkynetCrypto.base64Encode(challenge)));
      }
      case CLIENT_KEY -> {
        if (!(table.get("client_key") instanceof LuaString clientKey)) {
          fail(ctx, "its step 2 has no client_key");
          return;
        }
        byte[] clientPublic = SkynetCrypto.base64Decode(clientKey.bytes());
        if (clientPublic.length != SkynetCrypto.KEY_BYTES) {
          fail(ctx, "its client_key has " + clientPublic.length + " bytes, not 8");
          return;
        }
        byte[] privateKey = SkynetCrypto.randomKey(random);
        desKey = SkynetCrypto.dhSecret(clientPublic, privateKey);
        step = Step.CHALLENGE_ANSWER;
        ctx.writeAndFlush(HandshakeMessages.reply(session,
            SkynetCrypto.base64Encode(SkynetCrypto.dhExchange(privateKey))));
      }
      case CHALLENGE_ANSWER -> {
        if (!(table.get("challenge") instanceof LuaString answer)
            || !MessageDigest.isEqual(answer.bytes(), SkynetCrypto.hmac64(challenge, desKey))) {
          fail(ctx, "its answer to the challenge (step 3) is wrong or missing");
          return;
        }
        step = Step.IDENTITY;
        ctx.writeAndFlush(HandshakeMessages.reply(session, HandshakeMessages.OK));
      }
      case IDENTITY -> identify(ctx, session, table);
      default -> throw new IllegalStateException("no request is awaited at " + step);
    }
  }

  private void identify(ChannelHandlerContext ctx, long session, LuaTable table) {
    LuaValue name = table.get("svr_name");
    LuaValue id = table.get("svr_id");
    if (!(name instanceof LuaString svrName) || svrName.length() < 1
        || svrName.length() > HandshakeMessages.MAX_NAME_BYTES || !(id instanceof LuaInteger svrId)) {
      fail(ctx, "its identity has no svr_name of 1 to " + HandshakeMessages.MAX_NAME_BYTES
          + " bytes and integer svr_id" + (table.get("step").isNil() ? ""
          : " (it began the challenge: it has a secret_key or is_encrypt, this server has neither)"));
      return;
    }
    if (secretKey != null && !(table.get("secret_key") instanceof LuaString key
        && MessageDigest.isEqual(key.bytes(), secretKey))) {
      step = Step.FAILED;
      deadline.cancel(false);
      ctx.fireExceptionCaught(new SkynetHandshakeException("skynet_fly handshake from " + peer
          + " (" + HandshakeMessages.printable(svrName.utf8()) + ":" + svrId.value()
          + ") failed: its secret_key differs from this server's"));
      ctx.writeAndFlush(HandshakeMessages.reply(session, HandshakeMessages.SECRET_KEY_ERR))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    LuaValue isWatch = table.get("is_watch");
    boolean watch = !(isWatch instanceof LuaNil) && !LuaBoolean.FALSE.equals(isWatch);
    SkynetPeerIdentified identified = new SkynetPeerIdentified(svrName.utf8(), svrId.value(), watch, desKey,
        security.encryptsPayloads(watch));
    step = Step.DONE;
    deadline.cancel(false);
    ctx.writeAndFlush(HandshakeMessages.reply(session, HandshakeMessages.OK));
    if (identified.encryptPayloads()) {
      ctx.pipeline().addAfter(ctx.name(), null, SkynetPayloadCipher.forServer(desKey, identified.clusterName()));
    }
    ctx.fireUserEventTriggered(identified);
    ctx.pipeline().remove(this);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (step == Step.DONE || step == Step.FAILED) {
      return;
    }
    step = Step.FAILED;
    if (deadline != null) {
      deadline.cancel(false);
    }
    ctx.fireExceptionCaught(new SkynetHandshakeException("skynet_fly handshake from " + peer + " failed: "
        + reason));
    ctx.close();
  }

  private static String describe(Step step) {
    return switch (step) {
      case CHALLENGE -> "step 1";
      case CLIENT_KEY -> "step 2";
      case CHALLENGE_ANSWER -> "step 3";
      default -> "identity";
    };
  }
}

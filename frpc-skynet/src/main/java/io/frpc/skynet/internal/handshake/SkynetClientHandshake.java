package io.frpc.skynet.internal.handshake;

import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetFormatException;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The client's side of skynet_fly's frpc handshake (frpc_client_m.lua {@code do_hand_shake_channel}), as a handler
 * placed after the message codec ({@code SkynetMessageDecoder} of responses, {@code SkynetMessageEncoder}) of a
 * connection to a skynet_fly server. When the connection is active it sends, as requests of pack id 1 to module
 * {@code "hand_shake"}, each answered by an ok response holding one packed string:
 * <ol>
 *   <li>when the {@link SkynetSecurity} has a secret key or encryption: {@code {step=1}}, answered by a base64
 *       challenge; {@code {step=2, client_key=base64(dhexchange(k))}} for a fresh {@link SkynetCrypto#randomKey}
 *       {@code k}, answered by the server's base64 public value, from which both derive the 8-byte DES key;
 *       {@code {step=3, challenge=hmac64(challenge, key)}}, answered by {@code "ok"};</li>
 *   <li>its identity {@code {is_watch=true|nil, svr_name=..., secret_key=...|nil, svr_id=...}}, DES-encrypted
 *       under the key when the challenge ran, answered by {@code "ok"} or {@code "secret_key err"}.</li>
 * </ol>
 * Each request takes a fresh session from the {@code sessions} the client gives it (the counter its other requests
 * on the connection use).
 *
 * <p>On {@code "ok"} to the identity it puts a payload cipher in its own place when the security has encryption
 * (see {@link SkynetHandshakeCompleted}), fires {@link SkynetHandshakeCompleted} and removes itself. Anything else
 * &mdash; {@code "secret_key err"}, an error response, a reply to another session, a reply that is not what the step
 * expects, no reply within the timeout (skynet_fly's server answers nothing to a step it refuses), the connection
 * closing &mdash; fires a {@link SkynetHandshakeException} that says which ({@code exceptionCaught}) and closes the
 * connection. Write nothing else on the connection before the event.
 *
 * <p>One per connection; all its state is touched on the connection's event loop only.
 */
public final class SkynetClientHandshake extends ChannelInboundHandlerAdapter {

  /** The time skynet_fly's client waits for a connection by default ({@code time_out}, 10 s). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private enum Step {
    NOT_STARTED, CHALLENGE, SERVER_KEY, CHALLENGE_CHECKED, IDENTITY, DONE, FAILED
  }

  private final String svrName;
  private final long svrId;
  private final SkynetSecurity security;
  private final boolean watch;
  private final LongSupplier sessions;
  private final RandomGenerator random;
  private final Duration timeout;

  private Step step = Step.NOT_STARTED;
  private long expectedSession;
  private byte[] challenge;
  private byte[] privateKey;
  private byte[] desKey;
  private ScheduledFuture<?> deadline;
  /** The peer's address, for messages (a closed channel no longer has it). */
  private Object peer;

  /**
   * A handshake that presents this node to the server.
   *
   * @param svrName this node's {@code svr_name}
   * @param svrId this node's {@code svr_id}
   * @param security the secret key and encryption the server expects
   * @param watch whether this is the watch connection (subscriptions), sent as {@code is_watch}
   * @param sessions the connection's session counter: each call gives a fresh session, 1 to 2^32-1
   * @param random the source of the private Diffie-Hellman key (a {@link java.security.SecureRandom} in production)
   * @param timeout how long the whole handshake may take
   */
  public SkynetClientHandshake(String svrName, long svrId, SkynetSecurity security, boolean watch,
      LongSupplier sessions, RandomGenerator random, Duration timeout) {
    this.svrName = Objects.requireNonNull(svrName, "svrName");
    this.svrId = svrId;
    this.security = Objects.requireNonNull(security, "security");
    this.watch = watch;
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.random = Objects.requireNonNull(random, "random");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (svrName.isEmpty()) {
      throw new IllegalArgumentException("svrName must not be empty");
    }
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
    deadline = ctx.executor().schedule(() -> fail(ctx, "no answer within " + timeout.toMillis() + " ms to "
        + describe(step) + explainSilence()), timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (security.challenged()) {
      step = Step.CHALLENGE;
      send(ctx, LuaTable.builder().put("step", LuaValue.of(1)).build(), false);
    } else {
      step = Step.IDENTITY;
      send(ctx, identity(), false);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (step == Step.DONE) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (step == Step.FAILED) {
      return;
    }
    if (!(msg instanceof SkynetResponse response)) {
      fail(ctx, "the server sent " + HandshakeMessages.printable(msg) + " during the handshake, where only responses"
          + " belong");
      return;
    }
    if (response.session() != expectedSession) {
      fail(ctx, "the server answered session " + response.session() + " while " + describe(step)
          + " waited for session " + expectedSession);
      return;
    }
    if (!response.ok()) {
      fail(ctx, "the server answered " + describe(step) + " with the error \""
          + HandshakeMessages.printable(new String(response.payload(), StandardCharsets.UTF_8)) + "\"");
      return;
    }
    LuaString text;
    try {
      text = HandshakeMessages.replyText(response.payload());
    } catch (SkynetFormatException e) {
      fail(ctx, "the server's answer to " + describe(step) + " is not skynet.pack data: " + e.getMessage());
      return;
    }
    if (text == null) {
      fail(ctx, "the server's answer to " + describe(step) + " holds no string");
      return;
    }
    try {
      advance(ctx, text);
    } catch (SkynetCryptoException e) {
      fail(ctx, "the server's answer to " + describe(step) + " is unusable: " + e.getMessage());
    }
  }

  private void advance(ChannelHandlerContext ctx, LuaString text) {
    switch (step) {
      case CHALLENGE -> {
        challenge = eightBytes(text, "challenge");
        privateKey = SkynetCrypto.randomKey(random);
        step = Step.SERVER_KEY;
        send(ctx, LuaTable.builder().put("step", LuaValue.of(2))
            .put("client_key", LuaValue.of(SkynetCrypto.base64Encode(SkynetCrypto.dhExchange(privateKey))))
            .build(), false);
      }
      case SERVER_KEY -> {
        desKey = SkynetCrypto.dhSecret(eightBytes(text, "server key"), privateKey);
        step = Step.CHALLENGE_CHECKED;
        send(ctx, LuaTable.builder().put("step", LuaValue.of(3))
            .put("challenge", LuaValue.of(SkynetCrypto.hmac64(challenge, desKey))).build(), false);
      }
      case CHALLENGE_CHECKED -> {
        if (!text.utf8().equals(HandshakeMessages.OK)) {
          fail(ctx, "the server did not accept our answer to its challenge: it said "
              + HandshakeMessages.printable(text));
          return;
        }
        step = Step.IDENTITY;
        send(ctx, identity(), true);
      }
      case IDENTITY -> {
        if (text.utf8().equals(HandshakeMessages.SECRET_KEY_ERR)) {
          fail(ctx, "the server refused our secret key (\"secret_key err\"): ours differs from the server's"
              + " secret_key");
        } else if (!text.utf8().equals(HandshakeMessages.OK)) {
          fail(ctx, "the server did not accept our identity: it said " + HandshakeMessages.printable(text));
        } else {
          complete(ctx);
        }
      }
      default -> throw new IllegalStateException("no reply is awaited at " + step);
    }
  }

  /** skynet_fly's identity table, its keys in the order skynet_fly's client happened to pack them in captures. */
  private LuaTable identity() {
    LuaTable.Builder table = LuaTable.builder();
    if (watch) {
      table.put("is_watch", LuaValue.of(true));
    }
    table.put("svr_name", LuaValue.of(svrName));
    if (security.secretKey() != null) {
      table.put("secret_key", LuaValue.of(security.secretKey()));
    }
    return table.put("svr_id", LuaValue.of(svrId)).build();
  }

  private void send(ChannelHandlerContext ctx, LuaTable table, boolean encrypted) {
    byte[] payload = HandshakeMessages.PACK.pack(table);
    if (encrypted) {
      payload = SkynetCrypto.desEncode(desKey, payload);
    }
    expectedSession = sessions.getAsLong();
    Step sent = step;
    ctx.writeAndFlush(HandshakeMessages.request(expectedSession, payload)).addListener(future -> {
      if (!future.isSuccess()) {
        fail(ctx, "could not send " + describe(sent) + ": " + future.cause());
      }
    });
  }

  private void complete(ChannelHandlerContext ctx) {
    step = Step.DONE;
    deadline.cancel(false);
    boolean encrypted = security.encryptsPayloads(watch);
    if (encrypted) {
      ctx.pipeline().addAfter(ctx.name(), null, SkynetPayloadCipher.forClient(desKey));
    }
    ctx.fireUserEventTriggered(new SkynetHandshakeCompleted(desKey, encrypted));
    ctx.pipeline().remove(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (step != Step.NOT_STARTED && step != Step.DONE && step != Step.FAILED) {
      fail(ctx, "the server closed the connection during " + describe(step) + explainSilence());
    }
    ctx.fireChannelInactive();
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
    ctx.fireExceptionCaught(new SkynetHandshakeException("skynet_fly handshake with " + peer
        + " failed: " + reason));
    ctx.close();
  }

  /** skynet_fly's server is silent when it refuses a step; the usual cause is a security configured differently. */
  private String explainSilence() {
    return security.challenged()
        ? " (skynet_fly's server answers nothing when it has neither secret_key nor is_encrypt while we do, or when"
            + " a step fails)"
        : " (skynet_fly's server answers nothing when it has a secret_key or is_encrypt while we have neither)";
  }

  private static byte[] eightBytes(LuaString text, String what) {
    byte[] bytes = SkynetCrypto.base64Decode(text.bytes());
    if (bytes.length != SkynetCrypto.KEY_BYTES) {
      throw new SkynetCryptoException("the " + what + " has " + bytes.length + " bytes, not 8");
    }
    return bytes;
  }

  private static String describe(Step step) {
    return switch (step) {
      case NOT_STARTED -> "the start";
      case CHALLENGE -> "step 1 (the challenge)";
      case SERVER_KEY -> "step 2 (the key exchange)";
      case CHALLENGE_CHECKED -> "step 3 (the answer to the challenge)";
      case IDENTITY -> "the identity";
      case DONE, FAILED -> "the end";
    };
  }
}

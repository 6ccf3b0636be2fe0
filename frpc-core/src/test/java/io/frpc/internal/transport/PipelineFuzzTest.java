package io.frpc.internal.transport;

import io.frpc.HandlerDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.NodeId;
import io.frpc.internal.module.ModuleRegistry;
import io.frpc.internal.module.RequestDispatcher;
import io.frpc.internal.pubsub.Publisher;
import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.PubSubFrames;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.InboundBudget;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.security.SharedSecrets;
import io.frpc.testing.CapturedLogs;
import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Random and mutated byte streams through the accepting side's real pipeline (framing, handshake,
 * fragment reassembly, dispatch): nothing escapes the pipeline, no buffer leaks (the build runs Netty's
 * leak detector at PARANOID), and the reassembly budget returns to zero. {@code -Dfrpc.fuzz.inputs=N}
 * sets the number of inputs (the {@code fuzz} profile runs a million).
 */
class PipelineFuzzTest {

  /** Handler of module "svc". */
  public static final class Service {
    public int add(int a, int b) {
      return a + b;
    }
  }

  private static final int INPUTS = Integer.getInteger("frpc.fuzz.inputs", 50_000);

  private final PayloadCodec codec = new PayloadCodec();
  private final ManualClock clock = new ManualClock();
  private final TransportSettings settings = new TransportSettings(256 * 1024, 4 * 1024, Duration.ofSeconds(5),
      Duration.ofSeconds(15), Duration.ofSeconds(10));
  private final ConnectionLimits limits = new ConnectionLimits(4 << 20, 4 << 20, Duration.ofSeconds(10), 100, 100,
      100, 100, 100);
  private final InboundBudget budget = limits.inboundBudget();
  private final Publisher publisher = new Publisher(codec, 1 << 20, 16, 16 << 20, clock);
  private final RequestDispatcher dispatcher = new RequestDispatcher(ModuleRegistry.create(new NodeId("game", 1),
      List.of(HandlerDefinition.of("svc", null, 2, self -> new Service())), 100, codec, Runnable::run), codec, false,
      true, FrpcObserver.NONE, FrpcTracer.NONE, clock);
  /** One per run, as one per node: the fuzzer's violations are logged once a minute. */
  private final ConnectionErrors errors = new ConnectionErrors(LoggerFactory.getLogger(PipelineFuzzTest.class), clock);
  private final SharedSecrets withSecret = new SharedSecrets("fuzz-secret-of-32-bytes-length!!", List.of(),
      Map.of());
  private final Refusals refusals = new Refusals(LoggerFactory.getLogger(getClass()), FrpcObserver.NONE, clock);

  @Test
  void noInputEscapesThePipelineLeaksABufferOrKeepsReassemblyMemory() {
    List<byte[]> seeds = seeds();
    Random random = new Random(20261122L);
    int admitted = 0;
    int closed = 0;
    try (CapturedLogs logs = CapturedLogs.of("io.frpc"); CapturedLogs netty = CapturedLogs.of("io.netty")) {
      for (int input = 0; input < INPUTS; input++) {
        byte[] bytes = mutate(seeds.get(random.nextInt(seeds.size())), random);
        EmbeddedChannel channel = new EmbeddedChannel();
        // Half of the inputs meet a node that requires the shared secret: they exercise the challenge path.
        SharedSecrets secrets = input % 2 == 0 ? SharedSecrets.none() : withSecret;
        Pipelines.initialize(channel.pipeline(), null, settings, limits, budget, codec, new Traffic(), clock,
            new ServerHandshakeHandler(
            new NodeId("game", 1), "boot", settings, limits, codec, dispatcher, publisher, secrets, new AdmittedPeers(),
            () -> { }, refusals, () -> false, () -> false, errors));
        channel.pipeline().fireChannelActive();
        int offset = 0;
        while (offset < bytes.length && channel.isOpen()) {
          int chunk = 1 + random.nextInt(Math.min(4096, bytes.length - offset));
          channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, chunk));
          offset += chunk;
        }
        channel.checkException();
        admitted += channel.pipeline().get("requests") != null ? 1 : 0;
        closed += channel.isOpen() ? 0 : 1;
        channel.finishAndReleaseAll();
        assertThat(budget.used()).as("reassembly memory after input %d", input).isZero();
      }
      assertThat(logs.events()).as("nothing logged a stack trace")
          .allSatisfy(event -> assertThat(event.getThrowableProxy()).isNull());
      assertThat(netty.events()).as("nothing reached Netty's own error logging").isEmpty();
    }
    System.out.printf("fuzzed %,d inputs: %,d admitted, %,d closed by the node%n", INPUTS, admitted, closed);
    assertThat(admitted).as("inputs that got past the handshake").isPositive();
    assertThat(closed).as("inputs the node refused").isPositive();
  }

  /** Valid streams: a handshake followed by requests, pings and a fragmented request. */
  private List<byte[]> seeds() {
    byte[] hello = frame(Frames.control(UnpooledByteBufAllocator.DEFAULT, FrameType.HELLO, codec,
        new Hello(FrameType.PROTOCOL_VERSION, "fuzz", 1, "boot", 1 << 20, Set.of())));
    byte[] request = frame(Frames.request(UnpooledByteBufAllocator.DEFAULT, new RequestEnvelope(1, true,
        InstanceSelection.BALANCE, 0, "svc", null, "add", 1000), codec, new Object[] {1, 2}));
    byte[] broadcast = frame(Frames.request(UnpooledByteBufAllocator.DEFAULT, new RequestEnvelope(2, true,
        InstanceSelection.BROADCAST, 0, "svc", null, "add", 1000), codec, new Object[] {3, 4}));
    byte[] mod = frame(Frames.request(UnpooledByteBufAllocator.DEFAULT, new RequestEnvelope(0, false,
        InstanceSelection.MOD, 7, "svc", null, "add", 0), codec, new Object[] {5, 6}));
    byte[] helloWithNonce = frame(Frames.control(UnpooledByteBufAllocator.DEFAULT, FrameType.HELLO, codec,
        new Hello(FrameType.PROTOCOL_VERSION, "fuzz", 1, "boot", 1 << 20, Set.of(), new byte[32], new byte[32])));
    byte[] auth = frame(Frames.control(UnpooledByteBufAllocator.DEFAULT, FrameType.AUTH, codec,
        new Handshake.Auth(new byte[32])));
    byte[] ping = frame(Frames.heartbeat(UnpooledByteBufAllocator.DEFAULT, false, 42));
    byte[] large = frame(Frames.request(UnpooledByteBufAllocator.DEFAULT, new RequestEnvelope(3, true,
        InstanceSelection.BALANCE, 0, "svc", null, "add", 1000), codec, new Object[] {new byte[10_000], 1}));
    byte[] helloPubSub = frame(Frames.control(UnpooledByteBufAllocator.DEFAULT, FrameType.HELLO, codec,
        new Hello(FrameType.PROTOCOL_VERSION, "fuzz", 1, "boot", 1 << 20, FrameType.FEATURES)));
    publisher.publishState("room:1", "open");
    byte[] subscribe = frame(PubSubFrames.subscribe(UnpooledByteBufAllocator.DEFAULT, 1, false, "game:*:over"));
    byte[] watch = frame(PubSubFrames.subscribe(UnpooledByteBufAllocator.DEFAULT, 2, true, "room:*"));
    byte[] unsubscribe = frame(PubSubFrames.unsubscribe(UnpooledByteBufAllocator.DEFAULT, 1));
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(concat(helloPubSub, subscribe, watch, request, unsubscribe, watch));
    seeds.add(concat(hello, request, ping, broadcast, mod));
    seeds.add(concat(hello, fragments(large, 4096)));
    seeds.add(concat(hello, ping, fragments(large, 3000), request));
    seeds.add(concat(request, hello));
    seeds.add(hello);
    seeds.add(concat(helloWithNonce, auth, request));
    seeds.add(concat(helloWithNonce, request));
    return seeds;
  }

  private static byte[] mutate(byte[] seed, Random random) {
    if (random.nextInt(10) == 0) {
      byte[] noise = new byte[random.nextInt(200)];
      random.nextBytes(noise);
      return noise;
    }
    byte[] bytes = seed.clone();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      switch (random.nextInt(5)) {
        case 0 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length) + 1);
        case 3 -> {
          if (bytes.length < 4) {
            continue;
          }
          int at = random.nextInt(bytes.length - 3);
          ByteBuffer.wrap(bytes, at, 4).putInt(random.nextBoolean() ? random.nextInt() : random.nextInt(1 << 21));
        }
        default -> {
          int at = random.nextInt(bytes.length);
          byte[] grown = new byte[bytes.length + 8];
          System.arraycopy(bytes, 0, grown, 0, at);
          for (int i = 0; i < 8; i++) {
            grown[at + i] = (byte) random.nextInt(256);
          }
          System.arraycopy(bytes, at, grown, at + 8, bytes.length - at);
          bytes = grown;
        }
      }
    }
    return bytes;
  }

  private static byte[] fragments(byte[] frame, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int total = frame.length - 4;
    for (int offset = 4; offset < frame.length; offset += size) {
      int length = Math.min(size, frame.length - offset);
      boolean first = offset == 4;
      boolean last = offset + length == frame.length;
      ByteBuffer header = ByteBuffer.allocate(10).putInt(2 + (first ? 4 : 0) + length).put(FrameType.FRAGMENT)
          .put((byte) ((first ? 1 : 0) | (last ? 2 : 0)));
      if (first) {
        header.putInt(total);
      }
      out.write(header.array(), 0, header.position());
      out.write(frame, offset, length);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] frame(ByteBuf frame) {
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }
}

package io.frpc.bench.codec;

import io.frpc.FrpcBytes;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.InboundRequest;
import io.frpc.internal.protocol.InboundResponse;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.NameCache;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.protocol.ResponseStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * Each step of one call's codec path (two encodes and two decodes, see docs/protocol.md, "Encodes and
 * decodes per call") for an {@code echo(byte[] data, String player)} call whose result is the byte[].
 * Measures frpc-core's internal codec on purpose: the one benchmark allowed to use {@code io.frpc.internal}.
 *
 * <p>Input frames are built once in {@link #setUp()}; the decode benchmarks only reset the reader index,
 * so they allocate nothing for their input. Every buffer allocated inside a benchmark is released in it.
 * Objects the transport hands on (envelope, payload, inbound records, decoded values) are given to the
 * {@link Blackhole} so that escape analysis cannot remove allocations that escape in the real pipeline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {

  /** Size of the byte[] argument (and of the echoed result). */
  @Param({"32", "4096", "262144"})
  public int payloadSize;

  private static final String PLAYER = "player-42";
  private static final int REQUEST_ID = 4711;

  private ByteBufAllocator alloc;
  private PayloadCodec codec;
  /** The receiving connection's names, as its MessageDecoder keeps them. */
  private final NameCache names = new NameCache();
  private RequestEnvelope envelope;
  private byte[] data;
  private Object[] args;
  private ObjectReader[] argumentReaders;
  private ObjectReader resultReader;
  private ObjectWriter resultWriter;

  /** An encoded REQUEST frame; reader index reset to the type byte, as FrameDecoder hands it on. */
  private ByteBuf requestFrame;
  /** The arguments of that frame, as MessageDecoder copies them out. */
  private Payload argumentsPayload;
  /** The body of an encoded OK RESPONSE (after id and status). */
  private Payload resultPayload;

  @Setup(Level.Trial)
  public void setUp() {
    alloc = PooledByteBufAllocator.DEFAULT;
    codec = new PayloadCodec();
    envelope = new RequestEnvelope(REQUEST_ID, true, InstanceSelection.BALANCE, 0, "echo", null, "echo", 5000);
    data = new byte[payloadSize];
    ThreadLocalRandom.current().nextBytes(data);
    args = new Object[] {data, PLAYER};
    argumentReaders = new ObjectReader[] {codec.reader(byte[].class), codec.reader(String.class)};
    resultReader = codec.reader(byte[].class);
    resultWriter = codec.writer(byte[].class);

    requestFrame = Frames.request(alloc, envelope, codec, args);
    System.out.println("# request frame: " + requestFrame.readableBytes() + " bytes, "
        + requestFrame.getClass().getSimpleName() + ", hasArray=" + requestFrame.hasArray());
    requestFrame.readerIndex(4);
    InboundRequest request = decodeRequest(requestFrame);
    argumentsPayload = request.arguments();
    if (!request.envelope().equals(envelope)) {
      throw new IllegalStateException("envelope did not round-trip: " + request.envelope());
    }
    Object[] decoded = codec.readArguments(argumentsPayload, argumentReaders, FrpcBytes::close);
    if (!Arrays.equals((byte[]) decoded[0], data) || !PLAYER.equals(decoded[1])) {
      throw new IllegalStateException("arguments did not round-trip");
    }

    ByteBuf responseFrame = Frames.ok(alloc, REQUEST_ID, codec, resultWriter, data);
    try {
      System.out.println("# response frame: " + responseFrame.readableBytes() + " bytes");
      responseFrame.skipBytes(4);
      InboundResponse response = decodeResponse(responseFrame);
      if (response.requestId() != REQUEST_ID || response.status() != ResponseStatus.OK) {
        throw new IllegalStateException("response header did not round-trip");
      }
      resultPayload = response.body();
    } finally {
      responseFrame.release();
    }
    if (!Arrays.equals(codec.readValue(resultPayload, resultReader), data)) {
      throw new IllegalStateException("result did not round-trip");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    requestFrame.release();
  }

  /** Step 1, caller thread: envelope + Smile arguments into a pooled frame. */
  @Benchmark
  public void requestEncode(Blackhole bh) {
    ByteBuf frame = Frames.request(alloc, envelope, codec, args);
    bh.consume(frame.readableBytes());
    frame.release();
  }

  /** Step 2, callee I/O thread: type byte, envelope, arguments copied out of the pooled frame. */
  @Benchmark
  public void requestEnvelopeDecode(Blackhole bh) {
    requestFrame.readerIndex(4);
    bh.consume(decodeRequest(requestFrame));
  }

  /** Step 3, callee instance: Smile arguments bound to (byte[], String). */
  @Benchmark
  public void argumentsDecode(Blackhole bh) {
    bh.consume(codec.readArguments(argumentsPayload, argumentReaders, FrpcBytes::close));
  }

  /** Step 4, callee instance: response header + Smile result into a pooled frame. */
  @Benchmark
  public void responseEncode(Blackhole bh) {
    ByteBuf frame = Frames.ok(alloc, REQUEST_ID, codec, resultWriter, data);
    bh.consume(frame.readableBytes());
    frame.release();
  }

  /** Step 5, caller thread: Smile result bound to byte[]. */
  @Benchmark
  public void resultDecode(Blackhole bh) {
    bh.consume(codec.readValue(resultPayload, resultReader));
  }

  /** Steps 1 to 5 chained on the frames each step produced: one call's 2 encodes + 2 decodes. */
  @Benchmark
  public void wholePath(Blackhole bh) {
    // caller thread
    ByteBuf request = Frames.request(alloc, envelope, codec, args);
    InboundRequest inbound;
    try {
      // callee I/O thread: FrameDecoder strips the length prefix
      request.skipBytes(4);
      inbound = decodeRequest(request);
    } finally {
      request.release();
    }
    bh.consume(inbound);
    // callee instance
    Object[] decoded = codec.readArguments(inbound.arguments(), argumentReaders, FrpcBytes::close);
    bh.consume(decoded);
    ByteBuf response = Frames.ok(alloc, inbound.envelope().requestId(), codec, resultWriter, decoded[0]);
    InboundResponse reply;
    try {
      // caller I/O thread
      response.skipBytes(4);
      reply = decodeResponse(response);
    } finally {
      response.release();
    }
    bh.consume(reply);
    // caller thread
    byte[] result = codec.readValue(reply.body(), resultReader);
    bh.consume(result);
  }

  /** MessageDecoder's REQUEST path: type byte, envelope, remaining bytes copied (pooled frame). */
  private InboundRequest decodeRequest(ByteBuf in) {
    int type = in.readByte();
    if (type != FrameType.REQUEST) {
      throw new IllegalStateException("not a REQUEST frame: " + type);
    }
    RequestEnvelope envelope = RequestEnvelope.readFrom(in, names);
    return new InboundRequest(envelope, copyRemaining(in), System.nanoTime());
  }

  /** MessageDecoder's RESPONSE path: type byte, request id, status, remaining bytes copied. */
  private static InboundResponse decodeResponse(ByteBuf in) {
    int type = in.readByte();
    if (type != FrameType.RESPONSE) {
      throw new IllegalStateException("not a RESPONSE frame: " + type);
    }
    int requestId = in.readInt();
    byte status = in.readByte();
    return new InboundResponse(requestId, status, copyRemaining(in));
  }

  /** What MessageDecoder.remaining() does for a buffer without an accessible array (pooled direct). */
  private static Payload copyRemaining(ByteBuf in) {
    int length = in.readableBytes();
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return new Payload(bytes, 0, length);
  }
}

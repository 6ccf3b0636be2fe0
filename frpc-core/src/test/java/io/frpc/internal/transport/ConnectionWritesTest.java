package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.internal.protocol.FragmentingWriter;
import io.frpc.internal.protocol.LimitExceededException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How frames written from other threads reach a connection's channel: in order, in batches, counted while queued. */
class ConnectionWritesTest {

  private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
  /** What the channel was given to write, in order, as "thread:sequence". */
  private final List<String> written = new CopyOnWriteArrayList<>();
  private final AtomicInteger flushes = new AtomicInteger();
  private Channel server;
  private Channel channel;
  private ConnectionWrites writes;

  @BeforeEach
  void connect() throws InterruptedException {
    LocalAddress address = new LocalAddress("connection-writes-" + System.nanoTime());
    server = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
        .childHandler(new ChannelInboundHandlerAdapter()).bind(address).sync().channel();
    channel = new Bootstrap().group(loops).channel(LocalChannel.class).handler(new Recorder())
        .connect(address).sync().channel();
    writes = new ConnectionWrites(channel);
  }

  @AfterEach
  void close() {
    if (!loops.isShuttingDown()) {
      channel.close().syncUninterruptibly();
      server.close().syncUninterruptibly();
    }
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void framesQueuedWhileTheIoThreadIsBusyAreWrittenInOrderByOneTaskAndFlushedOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    channel.eventLoop().execute(() -> waitFor(release));
    long bytes = 0;
    for (int i = 0; i < 100; i++) {
      ByteBuf frame = frame("main:" + i);
      bytes += frame.readableBytes();
      writes.writeAndFlush(frame, null);
    }
    assertThat(writes.queuedBytes()).as("queued bytes while the I/O thread is busy").isEqualTo(bytes);

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 100);
    for (int i = 0; i < 100; i++) {
      assertThat(written.get(i)).isEqualTo("main:" + i);
    }
    assertThat(flushes.get()).as("flushes for the 100 frames").isOne();
    assertThat(writes.queuedBytes()).isZero();
  }

  @Test
  void theFramesOfEachThreadKeepTheirOrderAmongThoseOfOthersAndOfTheIoThread() throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String name = "writer" + t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 1_000; i++) {
          writes.writeAndFlush(frame(name + ":" + i), null);
        }
      }, name));
    }
    threads.forEach(Thread::start);
    for (int i = 0; i < 1_000; i++) {
      int sequence = i;
      channel.eventLoop().execute(() -> writes.writeAndFlush(frame("io:" + sequence), null));
    }
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 5_000);
    for (String writer : List.of("writer0", "writer1", "writer2", "writer3", "io")) {
      List<String> ofWriter = written.stream().filter(frame -> frame.startsWith(writer + ":")).toList();
      assertThat(ofWriter).hasSize(1_000);
      for (int i = 0; i < 1_000; i++) {
        assertThat(ofWriter.get(i)).isEqualTo(writer + ":" + i);
      }
    }
  }

  @Test
  void aListenerIsToldTheWriteSucceededOrThatTheChannelHadClosed() throws Exception {
    CompletableFuture<Boolean> open = new CompletableFuture<>();
    writes.writeAndFlush(frame("main:0"), write -> open.complete(write.isSuccess()));
    assertThat(open.get(10, TimeUnit.SECONDS)).isTrue();

    channel.close().sync();
    // the recorder answers writes itself: wait until the closed channel's pipeline has let it go
    await().atMost(Duration.ofSeconds(10)).until(() -> channel.pipeline().get(Recorder.class) == null);
    ByteBuf late = frame("main:1");
    CompletableFuture<Boolean> closed = new CompletableFuture<>();
    writes.writeAndFlush(late, write -> closed.complete(write.isSuccess()));
    assertThat(closed.get(10, TimeUnit.SECONDS)).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> late.refCnt() == 0);
  }

  @Test
  void framesWrittenOnceTheIoThreadHasShutDownFailAndAreReleased() throws Exception {
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    ByteBuf frame = frame("main:0");
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    writes.writeAndFlush(frame, write -> failure.complete(write.cause()));
    assertThat(failure.get(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(frame.refCnt()).isZero();
    assertThat(writes.queuedBytes()).isZero();
  }

  @Test
  void aFrameQueuedPastTheConnectionsLimitIsRefusedAtOnceAndFailsTheConnection() throws Exception {
    CompletableFuture<Throwable> caught = new CompletableFuture<>();
    channel.pipeline().addLast(new FragmentingWriter(1024, 4096, 1024), new ChannelInboundHandlerAdapter() {
      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        caught.complete(cause);
      }
    });
    ConnectionWrites limited = new ConnectionWrites(channel);
    CountDownLatch release = new CountDownLatch(1);
    channel.eventLoop().execute(() -> waitFor(release));
    // 4,096 bytes may wait besides one message of up to 1,024: five frames of 1,000 bytes fit, a sixth does not
    for (int i = 0; i < 5; i++) {
      limited.writeAndFlush(Unpooled.wrappedBuffer(new byte[1000]), null);
    }
    ByteBuf sixth = Unpooled.wrappedBuffer(new byte[1000]);
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    limited.writeAndFlush(sixth, write -> failure.complete(write.cause()));

    assertThat(sixth.refCnt()).as("released as it was refused, while the I/O thread is busy").isZero();
    assertThat(limited.queuedBytes()).isEqualTo(5_000);
    release.countDown();
    assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("6000 bytes would wait to be written")
        .hasMessageContaining("frpc.max-queued-outbound-bytes");
    assertThat(caught.get(10, TimeUnit.SECONDS)).isInstanceOf(LimitExceededException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 5);
  }

  private static ByteBuf frame(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stands for the pipeline and the socket: records each frame written and each flush. */
  private final class Recorder extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ByteBuf frame = (ByteBuf) msg;
      written.add(frame.toString(StandardCharsets.UTF_8));
      frame.release();
      promise.trySuccess();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes.incrementAndGet();
    }
  }
}

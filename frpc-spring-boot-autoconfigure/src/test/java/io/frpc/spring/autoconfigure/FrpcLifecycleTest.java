package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.context.support.GenericApplicationContext;

/** How the node starts with its Spring context and stops with it. */
class FrpcLifecycleTest {

  private static final String KEEP_ALIVE = "frpc-keep-alive";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class))
      .withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1");

  @Test
  void listeningNodeKeepsANonDaemonThreadAliveUntilItsContextCloses() {
    Set<Thread> before = keepAliveThreads();
    Set<Thread> started = new HashSet<>();
    runner.run(context -> {
      started.addAll(keepAliveThreads());
      started.removeAll(before);
      assertThat(started).hasSize(1).allMatch(thread -> !thread.isDaemon());
    });
    await().atMost(WAIT).until(() -> started.stream().noneMatch(Thread::isAlive));
  }

  @Test
  void pureCallerStartsNoKeepAliveThread() {
    Set<Thread> before = keepAliveThreads();
    runner.withPropertyValues("frpc.server.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      Set<Thread> started = keepAliveThreads();
      started.removeAll(before);
      assertThat(started).isEmpty();
    });
  }

  @Test
  void occupiedPortFailsStartUpNamingTheServerProperties() throws IOException {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      runner.withPropertyValues("frpc.server.port=" + occupied.getLocalPort()).run(context -> {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure())
            .hasStackTraceContaining("cannot listen on 127.0.0.1:" + occupied.getLocalPort())
            .hasStackTraceContaining("frpc.server.port");
      });
    }
  }

  @Test
  void discoveryIsStartedOnceTheContextStartsAndTheListenerIsBound() {
    runner.withUserConfiguration(DiscoveryConfiguration.class).run(context -> {
      RecordingDiscovery discovery = context.getBean(RecordingDiscovery.class);
      FrpcNode node = context.getBean(FrpcNode.class);
      assertThat(discovery.startedWith().localNode()).isEqualTo(node.local());
      assertThat(discovery.startedWith().listenAddress()).isEqualTo(node.listenAddress());
    });
  }

  @Test
  void discoveryIsClosedBeforeTheServerStopsListening() {
    runner.withUserConfiguration(DiscoveryConfiguration.class).run(context -> {
      RecordingDiscovery discovery = context.getBean(RecordingDiscovery.class);
      FrpcNode node = context.getBean(FrpcNode.class);
      assertThat(discovery.serverRunningWhenClosed()).isNull();
      context.close();
      assertThat(discovery.serverRunningWhenClosed()).isTrue();
      assertThat(node.isListening()).isFalse();
    });
  }

  @Test
  void stopWithACallbackReturnsAtOnceAndCallsBackOnceTheNodeHasDrained() throws Exception {
    FrpcNode server = heldServer();
    FrpcLifecycle lifecycle = new FrpcLifecycle(server, noListeners());
    lifecycle.start();
    CompletableFuture<String> call = heldCall(server);
    AtomicInteger callbacks = new AtomicInteger();

    long started = System.nanoTime();
    lifecycle.stop(callbacks::incrementAndGet);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stop returned at once").isLessThan(Duration.ofSeconds(1));
    assertThat(lifecycle.isRunning()).isFalse();
    assertThat(callbacks).as("no call back while a request runs").hasValue(0);
    release.countDown();
    await().atMost(WAIT).until(() -> callbacks.get() == 1);
    assertThat(call.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(server.isListening()).isFalse();
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> callbacks.get() == 1);
  }

  @Test
  void theNodesOfOneContextDrainInParallel() {
    FrpcNode first = heldServer();
    FrpcNode second = heldServer();
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      context.registerBean("first", FrpcLifecycle.class, () -> new FrpcLifecycle(first, noListeners()));
      context.registerBean("second", FrpcLifecycle.class, () -> new FrpcLifecycle(second, noListeners()));
      context.refresh();
      heldCall(first);
      heldCall(second);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close, closer);
      // both drains began while neither could finish: neither waited for the other
      await().atMost(WAIT).until(() -> !first.isRunning() && !second.isRunning());
      assertThat(first.requestsInFlight() + second.requestsInFlight()).isEqualTo(2);
      release.countDown();
      closing.join();
    }
    assertThat(first.isListening() || second.isListening()).isFalse();
  }

  @Test
  void springsPerPhaseTimeoutBoundsTheWaitForADrainingNode() {
    FrpcNode server = heldServer();
    CompletableFuture<Void> laterPhaseStopped = new CompletableFuture<>();
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
      processor.setTimeoutPerShutdownPhase(300);
      context.registerBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, DefaultLifecycleProcessor.class,
          () -> processor);
      context.registerBean("frpcLifecycle", FrpcLifecycle.class, () -> new FrpcLifecycle(server, noListeners()));
      context.registerBean("laterPhase", SmartLifecycle.class, () -> new StoppedLater(laterPhaseStopped));
      context.refresh();
      heldCall(server);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close, closer);
      // the next phase stops after the timeout although the node still drains
      assertThat(laterPhaseStopped).succeedsWithin(WAIT);
      assertThat(server.requestsInFlight()).isEqualTo(1);
      release.countDown();
      closing.join();
    }
  }

  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService closer = Executors.newSingleThreadExecutor();
  private final List<FrpcNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    release.countDown();
    nodes.forEach(FrpcNode::close);
    closer.shutdownNow();
  }

  /** A started-to-be node serving "svc", whose {@code hold} runs until the test releases it. */
  private FrpcNode heldServer() {
    FrpcNode server = FrpcNode.builder("game", nodes.size() + 1).listen("127.0.0.1", 0).ioThreads(1)
        .shutdownTimeout(Duration.ofSeconds(20))
        .handler(HandlerDefinition.of("svc", null, 1, self -> new Held(release))).build();
    nodes.add(server);
    return server;
  }

  /** Calls {@code hold} on {@code server} from a node of its own, and waits until it runs. */
  private CompletableFuture<String> heldCall(FrpcNode server) {
    NodeId id = server.id();
    FrpcNode caller = FrpcNode.builder("caller", nodes.size() + 1).serve(false).ioThreads(1)
        .discovery(new StaticNodeDiscovery(Map.of(id, new HostPort("127.0.0.1", server.listenAddress().getPort()))))
        .build();
    nodes.add(0, caller);
    caller.start();
    CompletableFuture<String> call = caller.template().module("game", "svc").node(id.id()).callAsync("hold",
        String.class);
    await().atMost(WAIT).until(() -> server.requestsInFlight() == 1);
    return call;
  }

  private static ObjectProvider<NodeListener> noListeners() {
    return new DefaultListableBeanFactory().getBeanProvider(NodeListener.class);
  }

  /** Module "svc". */
  public static final class Held {
    private final CountDownLatch release;

    Held(CountDownLatch release) {
      this.release = release;
    }

    public String hold() throws InterruptedException {
      release.await(30, TimeUnit.SECONDS);
      return "done";
    }
  }

  /** A component of a phase that stops after frpc's. */
  private static final class StoppedLater implements SmartLifecycle {
    private final CompletableFuture<Void> stopped;
    private volatile boolean running;

    StoppedLater(CompletableFuture<Void> stopped) {
      this.stopped = stopped;
    }

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      stopped.complete(null);
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
  }

  private static Set<Thread> keepAliveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(KEEP_ALIVE) && thread.isAlive())
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** Reports no nodes; remembers what it was started with and whether the listener accepted when closed. */
  static class RecordingDiscovery implements NodeDiscovery {

    private volatile DiscoveryContext startedWith;
    private volatile Boolean serverRunningWhenClosed;

    @Override
    public void start(DiscoveryContext context) {
      startedWith = context;
    }

    @Override
    public void close() {
      if (serverRunningWhenClosed == null) {
        try (Socket probe = new Socket()) {
          probe.connect(startedWith.listenAddress(), 1000);
          serverRunningWhenClosed = true;
        } catch (IOException e) {
          serverRunningWhenClosed = false;
        }
      }
    }

    DiscoveryContext startedWith() {
      return startedWith;
    }

    Boolean serverRunningWhenClosed() {
      return serverRunningWhenClosed;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class DiscoveryConfiguration {

    @Bean
    RecordingDiscovery recordingDiscovery() {
      return new RecordingDiscovery();
    }
  }
}

package io.frpc.spring.autoconfigure;

import io.frpc.discovery.NodeDiscovery;
import io.frpc.routing.FrpcClient;
import io.frpc.transport.FrpcServer;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the node once the context is ready (listener first, then discovery) and stops it first on
 * shutdown: discovery stops, then the server lets in-flight requests finish and closes.
 */
final class FrpcLifecycle implements SmartLifecycle {

  private final FrpcServer server;
  private final FrpcClient client;
  private final NodeDiscovery discovery;
  private final Duration shutdownTimeout;
  private volatile boolean running;
  private Thread keepAlive;

  FrpcLifecycle(FrpcServer server, FrpcClient client, NodeDiscovery discovery, Duration shutdownTimeout) {
    this.server = server;
    this.client = client;
    this.discovery = discovery;
    this.shutdownTimeout = shutdownTimeout;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      server.start();
      keepAlive = startKeepAlive();
    }
    if (discovery != null) {
      discovery.start(client);
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (discovery != null) {
      discovery.close();
    }
    if (server != null) {
      server.stop(shutdownTimeout);
      keepAlive.interrupt();
    }
  }

  /**
   * Like an embedded web server, a listening node keeps the JVM alive (frpc's own threads are daemons,
   * so a pure caller can exit when its work is done).
   */
  private static Thread startKeepAlive() {
    Thread thread = new Thread(() -> {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "frpc-keep-alive");
    thread.setDaemon(false);
    thread.start();
    return thread;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Late start, early stop: handlers are fully initialised before the first call arrives. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }
}

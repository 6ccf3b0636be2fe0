package io.frpc.spring.autoconfigure;

import io.frpc.NodeListener;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.routing.FrpcClient;
import io.frpc.transport.FrpcServer;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the node once the context is ready (listener first, then discovery) and stops it first on
 * shutdown: discovery stops, then the server lets in-flight requests finish and closes.
 */
final class FrpcLifecycle implements SmartLifecycle {

  private final FrpcServer server;
  private final FrpcClient client;
  private final NodeDiscovery discovery;
  private final ObjectProvider<NodeListener> listeners;
  private final Duration shutdownTimeout;
  private volatile boolean running;
  private Thread keepAlive;
  private boolean listenersAdded;

  FrpcLifecycle(FrpcServer server, FrpcClient client, NodeDiscovery discovery,
      ObjectProvider<NodeListener> listeners, Duration shutdownTimeout) {
    this.server = server;
    this.client = client;
    this.discovery = discovery;
    this.listeners = listeners;
    this.shutdownTimeout = shutdownTimeout;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      server.start();
      keepAlive = startKeepAlive();
    }
    if (!listenersAdded) {
      // Added here rather than when the client is built, so listener beans may depend on FrpcTemplate.
      listeners.orderedStream().forEach(client::addListener);
      listenersAdded = true;
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

  /**
   * The phase of Spring Boot's web-server graceful shutdown: every singleton, handlers included, exists
   * before any lifecycle starts, and frpc stops accepting calls before default-phase components stop.
   */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }
}

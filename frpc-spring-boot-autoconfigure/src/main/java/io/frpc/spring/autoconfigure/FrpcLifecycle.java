package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.NodeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the node once the context is ready (handler instances, listener, then discovery) and stops it
 * first on shutdown: discovery stops, then the server lets in-flight requests finish and closes. The stop is
 * asynchronous ({@link #stop(Runnable)} over {@link FrpcNode#closeAsync()}): Spring's per-phase timeout
 * ({@code spring.lifecycle.timeout-per-shutdown-phase}) bounds the wait, and the nodes of one context drain
 * together, in parallel with the other components of the phase.
 */
final class FrpcLifecycle implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(FrpcLifecycle.class);

  private final FrpcNode node;
  private final ObjectProvider<NodeListener> listeners;
  private volatile boolean running;
  private Thread keepAlive;

  FrpcLifecycle(FrpcNode node, ObjectProvider<NodeListener> listeners) {
    this.node = node;
    this.listeners = listeners;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    // Added here rather than when the node is built, so listener beans may depend on FrpcTemplate.
    listeners.orderedStream().forEach(node::addListener);
    node.start();
    if (node.serves()) {
      keepAlive = startKeepAlive();
    }
    running = true;
  }

  @Override
  public void stop() {
    synchronized (this) {
      running = false;
    }
    try {
      node.close();
    } finally {
      stopKeepAlive();
    }
  }

  /**
   * Starts the node's shutdown and returns; {@code callback} runs once it is done (on the node's shutdown
   * thread), also when a step of it failed, which is logged. The JVM is kept alive until then.
   */
  @Override
  public void stop(Runnable callback) {
    synchronized (this) {
      running = false;
    }
    node.closeAsync().whenComplete((ignored, failure) -> {
      if (failure != null) {
        log.warn("frpc node {} did not shut down cleanly", node.id(), failure);
      }
      stopKeepAlive();
      callback.run();
    });
  }

  private synchronized void stopKeepAlive() {
    if (keepAlive != null) {
      keepAlive.interrupt();
      keepAlive = null;
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

  /**
   * A closed node cannot start again, so a paused context (Spring's test context cache pauses the contexts not in
   * use) keeps its node running rather than stopping it for good.
   */
  @Override
  public boolean isPauseable() {
    return false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * The phase of Spring Boot's web-server graceful shutdown: every singleton exists before any lifecycle
   * starts, and frpc stops accepting calls before default-phase components stop.
   */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }
}

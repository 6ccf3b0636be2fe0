package io.frpc.sample.client;

import io.frpc.spring.NodeDownEvent;
import io.frpc.spring.NodeUpEvent;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Prints node transitions and lets the scenario wait until the nodes it needs are up. */
@Component
class NodeWatcher {

  private final Set<Integer> up = ConcurrentHashMap.newKeySet();

  @EventListener
  void nodeUp(NodeUpEvent event) {
    System.out.println("EVENT node up:   " + event.nodeName() + ":" + event.nodeId() + " at " + event.address());
    synchronized (this) {
      up.add(event.nodeId());
      notifyAll();
    }
  }

  @EventListener
  void nodeDown(NodeDownEvent event) {
    System.out.println("EVENT node down: " + event.nodeName() + ":" + event.nodeId() + " (" + event.reason() + ")");
    up.remove(event.nodeId());
  }

  /** Waits until every id in {@code ids} is up; returns whether they all came up in time. */
  synchronized boolean awaitUp(Set<Integer> ids, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!up.containsAll(ids)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}

package io.frpc.discovery.redis;

import io.frpc.FrpcTemplate;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A caller in a loop: a few hundred calls a second to module {@code where} of the given {@code game} nodes in
 * turn, each checked to come from the node asked; counts calls and keeps every failure.
 */
final class CallingLoop implements AutoCloseable {

  private final AtomicBoolean calling = new AtomicBoolean(true);
  private final AtomicInteger calls = new AtomicInteger();
  private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final Thread thread;

  CallingLoop(FrpcTemplate frpc, List<Integer> ids) {
    thread = new Thread(() -> {
      while (calling.get()) {
        int id = ids.get(calls.get() % ids.size());
        try {
          Integer answer = frpc.module("game", "where").node(id).call("id", Integer.class);
          if (answer != id) {
            failures.add(new AssertionError("game:" + id + " was asked, game:" + answer + " answered"));
          }
        } catch (RuntimeException e) {
          failures.add(e);
        }
        calls.incrementAndGet();
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "test-caller");
    thread.start();
  }

  int calls() {
    return calls.get();
  }

  Queue<Throwable> failures() {
    return failures;
  }

  @Override
  public void close() throws InterruptedException {
    calling.set(false);
    thread.join(5_000);
  }
}

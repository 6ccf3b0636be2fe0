package io.frpc.internal.module;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded inbox of one instance. In actor mode messages run one at a time in arrival order, so
 * handler state needs no locks; in concurrent mode they run in parallel. Either way at most
 * {@code capacity} messages are queued or running, and {@link #offer} refuses the rest.
 */
abstract sealed class Mailbox permits Mailbox.Actor, Mailbox.Concurrent {

  final Executor executor;
  final int capacity;
  final AtomicInteger size = new AtomicInteger();

  Mailbox(Executor executor, int capacity) {
    this.executor = executor;
    this.capacity = capacity;
  }

  static Mailbox create(boolean concurrent, Executor executor, int capacity) {
    return concurrent ? new Concurrent(executor, capacity) : new Actor(executor, capacity);
  }

  /** Queues {@code task}; returns false, without queueing, when the mailbox is full. */
  final boolean offer(Runnable task) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return false;
    }
    enqueue(task);
    return true;
  }

  /** Messages queued or running. */
  final int size() {
    return size.get();
  }

  abstract void enqueue(Runnable task);

  static final class Actor extends Mailbox implements Runnable {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Actor(Executor executor, int capacity) {
      super(executor, capacity);
    }

    @Override
    void enqueue(Runnable task) {
      queue.offer(task);
      if (scheduled.compareAndSet(false, true)) {
        executor.execute(this);
      }
    }

    /** Drains the queue on one worker thread; re-schedules itself if a message raced in at the end. */
    @Override
    public void run() {
      Runnable task;
      while ((task = queue.poll()) != null) {
        try {
          task.run();
        } finally {
          size.decrementAndGet();
        }
      }
      scheduled.set(false);
      if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
        executor.execute(this);
      }
    }
  }

  static final class Concurrent extends Mailbox {
    Concurrent(Executor executor, int capacity) {
      super(executor, capacity);
    }

    @Override
    void enqueue(Runnable task) {
      executor.execute(() -> {
        try {
          task.run();
        } finally {
          size.decrementAndGet();
        }
      });
    }
  }
}

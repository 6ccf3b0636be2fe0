package io.frpc.internal.module;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded inbox of one instance. In actor mode messages run one at a time in arrival order, so
 * handler state needs no locks; in concurrent mode they run in parallel. Either way at most
 * {@code capacity} messages are queued or running, and {@link #offer} refuses the rest.
 *
 * <p>Messages run on {@code executor} (a worker), or, for a non-blocking handler, on the thread that offers
 * them (the I/O thread that read the request) when the instance is idle; a non-blocking actor busy on another
 * thread takes the message in its turn there.
 */
abstract sealed class Mailbox permits Mailbox.Actor, Mailbox.Concurrent {

  private static final Logger log = LoggerFactory.getLogger(Mailbox.class);

  /**
   * Messages a non-blocking actor runs on the offering thread in one go; the rest of its queue moves to a
   * worker, so an I/O thread serving a flooded instance still gets back to its other connections.
   */
  static final int INLINE_BATCH = 64;

  /**
   * Arguments larger than this run on a worker even for a non-blocking handler: decoding them would hold
   * the I/O thread, and other connections' small calls with it. A large message is decoded from its received
   * chunks in about one copy of its size, so up to a mebibyte that is a fraction of a millisecond.
   */
  static final int INLINE_MAX_ARGUMENT_BYTES = 1024 * 1024;

  final Executor executor;
  final int capacity;
  final boolean inline;
  final AtomicInteger size = new AtomicInteger();

  Mailbox(Executor executor, int capacity, boolean inline) {
    this.executor = executor;
    this.capacity = capacity;
    this.inline = inline;
  }

  /**
   * @param inline whether messages run on the offering thread (non-blocking handlers)
   */
  static Mailbox create(boolean concurrent, boolean inline, Executor executor, int capacity) {
    return concurrent ? new Concurrent(executor, capacity, inline) : new Actor(executor, capacity, inline);
  }

  /** Queues {@code task}; returns false, without queueing, when the mailbox is full. */
  final boolean offer(Runnable task) {
    return offer(task, true, null);
  }

  /**
   * Queues {@code task}; returns false, without queueing, when the mailbox is full.
   *
   * @param mayRunInline false keeps even a non-blocking handler's message off the offering thread (a large
   *                     message, whose decoding would hold the I/O thread)
   * @param starts       the hand-offs of the I/O thread offering it, which starts an actor on a worker together with
   *                     the others it started in the same read; null to start it at once
   */
  final boolean offer(Runnable task, boolean mayRunInline, ReadHandOffs starts) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return false;
    }
    enqueue(task, inline && mayRunInline, starts);
    return true;
  }

  /** Messages queued or running. */
  final int size() {
    return size.get();
  }

  abstract void enqueue(Runnable task, boolean runInline, ReadHandOffs starts);

  static final class Actor extends Mailbox implements ReadHandOffs.HandOff {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Actor(Executor executor, int capacity, boolean inline) {
      super(executor, capacity, inline);
    }

    @Override
    void enqueue(Runnable task, boolean runInline, ReadHandOffs starts) {
      queue.offer(inline && !runInline ? new OnWorker(task) : task);
      if (scheduled.compareAndSet(false, true)) {
        if (runInline) {
          drain(true);
        } else if (starts != null) {
          starts.add(executor, this);
        } else {
          start();
        }
      }
    }

    /** Drains the queue on a worker. */
    void start() {
      executor.execute(this);
    }

    /** Drains the queue on one worker thread. */
    @Override
    public void run() {
      drain(false);
    }

    @Override
    public void refused(RejectedExecutionException refusal) {
      // the node's threads are closing: nobody runs what is queued here any more
      log.error("The workers refused to run an instance's {} queued messages", size(), refusal);
    }

    /**
     * Runs the queued messages; on the offering thread ({@code inlineTurn}) at most {@link #INLINE_BATCH} and
     * none marked for a worker, handing the rest to a worker. Re-schedules itself if a message raced in at
     * the end. Only one thread drains at a time, so the peeked message is the one polled.
     */
    private void drain(boolean inlineTurn) {
      Runnable task;
      int ran = 0;
      while ((task = queue.peek()) != null) {
        if (inlineTurn && (ran == INLINE_BATCH || task instanceof OnWorker)) {
          start();
          return;
        }
        queue.poll();
        ran++;
        try {
          task.run();
        } finally {
          size.decrementAndGet();
        }
      }
      scheduled.set(false);
      if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
        start();
      }
    }

    /** A message of a non-blocking instance that must not run on an I/O thread (large arguments). */
    private record OnWorker(Runnable task) implements Runnable {
      @Override
      public void run() {
        task.run();
      }
    }
  }

  static final class Concurrent extends Mailbox {
    Concurrent(Executor executor, int capacity, boolean inline) {
      super(executor, capacity, inline);
    }

    @Override
    void enqueue(Runnable task, boolean runInline, ReadHandOffs starts) {
      Runnable counted = () -> {
        try {
          task.run();
        } finally {
          size.decrementAndGet();
        }
      };
      if (runInline) {
        counted.run();
      } else {
        executor.execute(counted);
      }
    }
  }
}

package io.frpc.internal.module;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actors that requests read on one I/O thread need started on a worker, started together once that thread has
 * handled what it read: in a task of the thread, which runs after its reads. Waking a parked worker is most of what
 * a hand-off costs, and an actor that drains its one message and goes idle before the next request for it is read
 * then wakes a worker once per read rather than once per message. Confined to its I/O thread.
 */
final class ReadHandOffs implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ReadHandOffs.class);
  private static final FastThreadLocal<ReadHandOffs> OF_THREAD = new FastThreadLocal<>() {
    @Override
    protected ReadHandOffs initialValue() {
      return new ReadHandOffs();
    }
  };

  /** Pairs: the executor, then the task it runs. */
  private final List<Object> waiting = new ArrayList<>();
  /** The I/O thread, as the executor of its own tasks. */
  private Executor ioThread;

  private ReadHandOffs() {
  }

  /**
   * The hand-offs of the calling thread, which must be {@code ioThread}: the event loop whose reads are being
   * handled.
   */
  static ReadHandOffs of(Executor ioThread) {
    ReadHandOffs handOffs = OF_THREAD.get();
    handOffs.ioThread = ioThread;
    return handOffs;
  }

  /** Has {@code executor} run {@code task} once this I/O thread is done with its reads. */
  void add(Executor executor, HandOff task) {
    if (waiting.isEmpty()) {
      try {
        ioThread.execute(this);
      } catch (RejectedExecutionException e) {
        // the I/O thread is shutting down: no later task of it would run
        handOver(executor, task);
        return;
      }
    }
    waiting.add(executor);
    waiting.add(task);
  }

  @Override
  public void run() {
    try {
      for (int i = 0; i < waiting.size(); i += 2) {
        handOver((Executor) waiting.get(i), (HandOff) waiting.get(i + 1));
      }
    } finally {
      waiting.clear();
    }
  }

  private static void handOver(Executor executor, HandOff task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.refused(e);
    } catch (RuntimeException e) {
      log.error("Could not hand {} over", task, e);
    }
  }

  /** A task handed over, which must know when its executor refuses it. */
  interface HandOff extends Runnable {

    /** The executor refused to run this task: it is shutting down. Runs on the I/O thread. */
    void refused(RejectedExecutionException refusal);
  }
}

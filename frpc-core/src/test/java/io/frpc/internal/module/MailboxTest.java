package io.frpc.internal.module;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.testing.CapturedLogs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where a mailbox runs its messages: on a worker, or inline on the offering thread for non-blocking handlers. */
class MailboxTest {

  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "worker"));

  @AfterEach
  void stop() {
    worker.shutdownNow();
  }

  @Test
  void anIdleNonBlockingActorRunsTheMessageOnTheOfferingThread() {
    Mailbox mailbox = Mailbox.create(false, true, worker, 100);
    List<String> threads = new ArrayList<>();
    mailbox.offer(() -> threads.add(Thread.currentThread().getName()));
    assertThat(threads).containsExactly(Thread.currentThread().getName());
    assertThat(mailbox.size()).isZero();
  }

  @Test
  void aBacklogLongerThanOneInlineBatchMovesToAWorkerInOrder() throws Exception {
    Mailbox mailbox = Mailbox.create(false, true, worker, 1_000);
    List<String> ran = new ArrayList<>();
    int backlog = Mailbox.INLINE_BATCH * 3;
    // the first message queues a backlog behind itself while it runs, as racing I/O threads would
    mailbox.offer(() -> {
      ran.add("0@" + Thread.currentThread().getName());
      for (int i = 1; i <= backlog; i++) {
        int sequence = i;
        assertThat(mailbox.offer(() -> ran.add(sequence + "@" + Thread.currentThread().getName()))).isTrue();
      }
    });
    worker.submit(() -> { }).get(10, TimeUnit.SECONDS);
    String offering = Thread.currentThread().getName();
    assertThat(ran).hasSize(backlog + 1);
    for (int i = 0; i <= backlog; i++) {
      assertThat(ran.get(i)).isEqualTo(i + "@" + (i < Mailbox.INLINE_BATCH ? offering : "worker"));
    }
    assertThat(mailbox.size()).isZero();
  }

  @Test
  void aMessageMarkedForAWorkerIsNotRunInlineEvenWhileTheActorDrainsOnTheOfferingThread() throws Exception {
    Mailbox mailbox = Mailbox.create(false, true, worker, 100);
    List<String> ran = new ArrayList<>();
    mailbox.offer(() -> {
      ran.add("first@" + Thread.currentThread().getName());
      // queued while the offering thread drains: a large message, then a small one behind it
      mailbox.offer(() -> ran.add("large@" + Thread.currentThread().getName()), false, null);
      mailbox.offer(() -> ran.add("small@" + Thread.currentThread().getName()));
    });
    worker.submit(() -> { }).get(10, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("first@" + Thread.currentThread().getName(), "large@worker", "small@worker");
  }

  @Test
  void aNonBlockingConcurrentInstanceRunsSmallMessagesInlineAndLargeOnesOnAWorker() throws Exception {
    Mailbox mailbox = Mailbox.create(true, true, worker, 100);
    List<String> threads = new ArrayList<>();
    mailbox.offer(() -> threads.add("small@" + Thread.currentThread().getName()));
    mailbox.offer(() -> threads.add("large@" + Thread.currentThread().getName()), false, null);
    worker.submit(() -> { }).get(10, TimeUnit.SECONDS);
    assertThat(threads).containsExactly("small@" + Thread.currentThread().getName(), "large@worker");
    assertThat(mailbox.size()).isZero();
  }

  @Test
  void aBlockingActorAlwaysRunsOnAWorker() throws Exception {
    Mailbox mailbox = Mailbox.create(false, false, worker, 100);
    List<String> threads = new ArrayList<>();
    mailbox.offer(() -> threads.add(Thread.currentThread().getName()));
    worker.submit(() -> { }).get(10, TimeUnit.SECONDS);
    assertThat(threads).containsExactly("worker");
  }

  @Test
  void anActorThatGoesIdleBetweenTheRequestsOfOneReadIsStartedOnAWorkerOnceWhenTheReadIsDone() {
    // a worker that runs each start at once, and counts them: a wake-up of a parked worker each
    List<String> ran = new ArrayList<>();
    int[] starts = {0};
    Executor eagerWorker = task -> {
      starts[0]++;
      task.run();
    };
    Mailbox mailbox = Mailbox.create(false, false, eagerWorker, 100);
    Deque<Runnable> ioThreadTasks = new ArrayDeque<>();
    ReadHandOffs handOffs = ReadHandOffs.of(ioThreadTasks::add);

    for (int i = 0; i < 5; i++) {
      int sequence = i;
      assertThat(mailbox.offer(() -> ran.add("message " + sequence), true, handOffs)).isTrue();
    }
    assertThat(ran).as("nothing runs while the I/O thread still reads").isEmpty();
    assertThat(ioThreadTasks).as("one task of the I/O thread for the whole read").hasSize(1);

    ioThreadTasks.poll().run();
    assertThat(ran).containsExactly("message 0", "message 1", "message 2", "message 3", "message 4");
    assertThat(starts[0]).as("workers woken").isOne();
    assertThat(mailbox.size()).isZero();

    // the next read starts it again
    assertThat(mailbox.offer(() -> ran.add("message 5"), true, handOffs)).isTrue();
    ioThreadTasks.poll().run();
    assertThat(ran).endsWith("message 5");
    assertThat(starts[0]).isEqualTo(2);
  }

  @Test
  void anActorWhoseWorkersRefuseItIsReported() {
    Executor refusing = task -> {
      throw new RejectedExecutionException("closed");
    };
    Mailbox mailbox = Mailbox.create(false, false, refusing, 100);
    Deque<Runnable> ioThreadTasks = new ArrayDeque<>();
    try (CapturedLogs logs = CapturedLogs.of(Mailbox.class.getName())) {
      assertThat(mailbox.offer(() -> { }, true, ReadHandOffs.of(ioThreadTasks::add))).isTrue();
      ioThreadTasks.poll().run();
      assertThat(logs.messages(Level.ERROR)).singleElement().asString()
          .contains("workers refused to run an instance's 1 queued messages");
    }
  }
}

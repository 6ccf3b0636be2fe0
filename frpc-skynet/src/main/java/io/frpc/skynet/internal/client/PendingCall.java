package io.frpc.skynet.internal.client;

import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.time.FrpcClock;
import java.util.concurrent.CompletableFuture;

/**
 * A call written (or about to be written) on a connection and waiting for the response of its session. Whoever
 * removes it from its {@link ResponseDispatcher} completes it: the response, the deadline, the write's failure or
 * the connection's close, exactly one of them.
 */
final class PendingCall {

  final long session;
  final String module;
  final String command;
  final CompletableFuture<SkynetResponse> response = new CompletableFuture<>();
  /** The deadline's task; set once before the request is written, cancelled when the response wins. */
  volatile FrpcClock.ScheduledTask deadline;
  /** Whether the request was written to the socket: only then may the command have run. */
  volatile boolean written;

  PendingCall(long session, String module, String command) {
    this.session = session;
    this.module = module;
    this.command = command;
  }

  void cancelDeadline() {
    FrpcClock.ScheduledTask task = deadline;
    if (task != null) {
      task.cancel();
    }
  }
}

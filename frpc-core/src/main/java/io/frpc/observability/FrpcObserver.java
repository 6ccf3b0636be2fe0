package io.frpc.observability;

/**
 * Receives a measurement for every call, send and served request, for metrics (the Spring Boot starter
 * binds it to Micrometer). Called on frpc's threads, sometimes an I/O thread: implementations must be
 * fast, thread-safe and must not block. Tag values are bounded: node names, modules and commands the
 * application calls or serves; requests for a module or command this node does not serve are reported as
 * {@code "(unknown)"}. Outcomes are {@code SUCCESS}, {@code TIMEOUT}, {@code CONNECTION_LOST},
 * {@code NO_NODE}, {@code BAD_REPLY}, {@code AUTHENTICATION}, {@code TOO_LARGE}, {@code CANCELLED} (the caller
 * cancelled the call, or the call it was made for was cancelled; for a served request: its caller cancelled it, so it
 * did not run or its reply was not sent), {@code ERROR}, or the {@link io.frpc.RemoteErrorCode} name of a remote
 * error ({@code OVERLOADED}, {@code COMMAND_FAILED}, …).
 * Without an observer nothing is measured.
 */
public interface FrpcObserver {

  /** Observes nothing: the default, at no cost on the call path. */
  FrpcObserver NONE = new FrpcObserver() {
  };

  /** A call to one node (one per node for an all-nodes call) ended after {@code nanos}. */
  default void callCompleted(String nodeName, String module, String command, String outcome, long nanos) {
  }

  /**
   * A call is attempted once more within its deadline: {@code kind} is {@code FAILOVER} (the last attempt provably
   * did not run, so another node is asked), {@code RETRY} (it may have run, and the call is idempotent) or
   * {@code HEDGE} (no reply yet within the hedge delay).
   */
  default void callRetried(String nodeName, String module, String command, String kind) {
  }

  /** A retry or hedge was not made because the retry budget was spent; the call failed with its last error. */
  default void retryDenied(String nodeName, String module, String command) {
  }

  /** A send was written ({@code SUCCESS}) or failed. */
  default void sendCompleted(String nodeName, String module, String command, String outcome) {
  }

  /** A request this node served ended {@code nanos} after it arrived (one per instance for a broadcast). */
  default void requestCompleted(String module, String command, String outcome, long nanos) {
  }

  /**
   * The listener refused a connection, closed one to make room, or lost one before its handshake completed, for
   * {@code reason}: a limit's property name, {@code handshake}, {@code tls}, {@code frpc.security.secret} (the
   * peer closed when challenged to prove the secret) or {@code closed-during-handshake} (the peer closed first).
   */
  default void connectionRefused(String reason) {
  }
}

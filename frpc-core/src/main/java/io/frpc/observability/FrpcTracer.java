package io.frpc.observability;

/**
 * Carries a trace across nodes (the Spring Boot starter binds it to Micrometer Tracing): a call made on a
 * traced thread gets a client span whose context travels in the request envelope (W3C
 * {@code traceparent}), and the handler on the called node runs in a server span continuing it. Called on
 * the caller's thread (start) and on frpc's threads (end, serve); implementations must be fast and must
 * not block. Without a tracer nothing is carried.
 */
public interface FrpcTracer {

  /** Traces nothing: the default, at no cost on the call path. */
  FrpcTracer NONE = new FrpcTracer() {
  };

  /**
   * A call or send to {@code nodeName} starts on the current thread.
   *
   * @return its client span, or {@link ClientSpan#NONE} when the thread is not traced
   */
  default ClientSpan callStarted(String nodeName, String module, String command) {
    return ClientSpan.NONE;
  }

  /**
   * A served request starts running {@code command}, with the trace context its caller sent (or
   * {@code null}); the returned scope is closed, on the same thread, when the command returned.
   */
  default ServerScope requestStarted(String traceContext, String module, String command) {
    return ServerScope.NONE;
  }

  /** The client side of one call. */
  interface ClientSpan {

    /** No span: nothing is sent and nothing ended. */
    ClientSpan NONE = new ClientSpan() {
      @Override
      public String traceContext() {
        return null;
      }

      @Override
      public void end(Throwable failure) {
      }
    };

    /** The context to send (W3C {@code traceparent}, at most 255 bytes), or {@code null}. */
    String traceContext();

    /** The call completed; {@code failure} is null when it succeeded. Called once, on any thread. */
    void end(Throwable failure);
  }

  /** The server side of one served request, open while its command runs. */
  interface ServerScope extends AutoCloseable {

    /** No scope. */
    ServerScope NONE = failure -> { };

    /** The command returned ({@code failure} null) or threw. */
    void close(Throwable failure);

    /**
     * The id of the trace the command runs in, put in the log context (MDC key {@code traceId}) while it
     * runs, or {@code null} when it runs outside a trace.
     */
    default String traceId() {
      return null;
    }

    @Override
    default void close() {
      close(null);
    }
  }
}

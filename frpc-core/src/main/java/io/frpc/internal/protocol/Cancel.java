package io.frpc.internal.protocol;

/**
 * The caller no longer waits for the reply to one of its requests (its deadline passed, it cancelled the call,
 * or the call it served was cancelled): the callee drops the request if it has not started and tells a running
 * command through {@code FrpcCall.isCancelled()}.
 *
 * @param requestId the request's id on this connection
 */
public record Cancel(int requestId) {
}

package io.frpc.protocol;

import io.frpc.RemoteErrorCode;

/**
 * Body of an error reply.
 *
 * @param code       what went wrong
 * @param type       class name of the exception thrown by the command, or {@code null}
 * @param message    human-readable description
 * @param stackTrace remote stack trace, or {@code null} unless the server includes them
 */
public record RemoteError(RemoteErrorCode code, String type, String message, String stackTrace) {
}

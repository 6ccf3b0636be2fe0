package io.frpc.internal.protocol;

/**
 * One instance's part of a broadcast reply.
 *
 * @param index        instance index within the module
 * @param instanceName instance name, or {@code null}
 * @param status       {@link ResponseStatus#OK} or {@link ResponseStatus#ERROR}
 * @param body         encoded result or {@link RemoteError}
 */
public record BroadcastItem(int index, String instanceName, byte status, Payload body) {
}

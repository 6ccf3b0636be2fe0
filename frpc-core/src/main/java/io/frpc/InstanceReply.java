package io.frpc;

/**
 * One instance's answer to a broadcast call.
 *
 * @param index        the instance's index among the module's instances of the same instance name
 *                     (see {@link FrpcInstance#index()})
 * @param instanceName the instance's name, or {@code null} when it has none
 * @param value        the command's result; {@code null} when the command failed or returns nothing
 * @param error        the error the instance answered with ({@link OverloadedException} when its mailbox
 *                     was full), or {@code null} on success
 * @param <T>          the result type
 */
public record InstanceReply<T>(int index, String instanceName, T value, RemoteCallException error) {

  /** Whether this instance ran the command successfully. */
  public boolean succeeded() {
    return error == null;
  }
}

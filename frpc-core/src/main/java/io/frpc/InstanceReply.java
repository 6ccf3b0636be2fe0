package io.frpc;

/**
 * One instance's answer to a broadcast call.
 *
 * @param index        the instance's index within its module on the remote node
 * @param instanceName the instance's name, or {@code null} when it has none
 * @param value        the command's result; {@code null} when the command failed or returns nothing
 * @param error        the error the instance answered with, or {@code null} on success
 * @param <T>          the result type
 */
public record InstanceReply<T>(int index, String instanceName, T value, RemoteCallException error) {

  /** Whether this instance ran the command successfully. */
  public boolean succeeded() {
    return error == null;
  }
}

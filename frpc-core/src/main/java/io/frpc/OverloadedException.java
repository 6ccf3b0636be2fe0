package io.frpc;

/**
 * The remote instance's mailbox was full, so the command was refused without running; safe to retry
 * later. Thrown by balance and mod calls, and found in {@link InstanceReply#error()} of a broadcast call,
 * so one {@code catch (OverloadedException e)} covers every call mode.
 */
public class OverloadedException extends RemoteCallException {

  public OverloadedException(NodeId node, String message) {
    super(node, RemoteErrorCode.OVERLOADED, null, message, null);
  }
}

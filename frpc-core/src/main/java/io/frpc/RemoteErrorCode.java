package io.frpc;

/**
 * What went wrong on the remote node, as carried by a {@link RemoteCallException}. Each code travels as
 * its {@link #wireCode()}; a code this version does not know arrives as {@link #UNKNOWN}.
 */
public enum RemoteErrorCode {
  /** A code sent by a newer peer that this version does not know; the message says what happened. */
  UNKNOWN(0),
  /** The remote node serves no module of that name. */
  UNKNOWN_MODULE(1),
  /** The module has no instance with the requested instance name. */
  UNKNOWN_INSTANCE(2),
  /** No instance of the module (or of the requested instance name) has a command of that name. */
  UNKNOWN_COMMAND(3),
  /** The arguments did not bind to the command's parameter types. */
  BAD_ARGUMENTS(4),
  /** The command threw an exception; {@link RemoteCallException#remoteType()} names it. */
  COMMAND_FAILED(5),
  /** The command's result could not be encoded or exceeds the maximum message size. */
  BAD_RESULT(6),
  /** The instance's mailbox was full; the command did not run ({@link OverloadedException}). */
  OVERLOADED(7),
  /** The caller's deadline passed while the command waited in the mailbox; it did not run. */
  DEADLINE_EXCEEDED(8),
  /**
   * The node was shutting down and no longer took requests; the command did not run, so a call may go to another
   * node (frpc does so itself for calls without node id or key).
   */
  SHUTTING_DOWN(9);

  private static final RemoteErrorCode[] BY_WIRE_CODE = new RemoteErrorCode[10];

  static {
    for (RemoteErrorCode code : values()) {
      BY_WIRE_CODE[code.wireCode] = code;
    }
  }

  private final int wireCode;

  RemoteErrorCode(int wireCode) {
    this.wireCode = wireCode;
  }

  /** The number this code travels as; fixed for the life of protocol version 1. */
  public int wireCode() {
    return wireCode;
  }

  /** The code of a wire number, {@link #UNKNOWN} for numbers this version does not know. */
  public static RemoteErrorCode ofWireCode(int wireCode) {
    return wireCode >= 0 && wireCode < BY_WIRE_CODE.length ? BY_WIRE_CODE[wireCode] : UNKNOWN;
  }
}

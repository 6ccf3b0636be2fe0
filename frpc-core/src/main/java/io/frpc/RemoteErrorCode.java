package io.frpc;

/** What went wrong on the remote node, as carried by a {@link RemoteCallException}. */
public enum RemoteErrorCode {
  /** The remote node serves no module of that name. */
  UNKNOWN_MODULE,
  /** The module has no instance with the requested instance name. */
  UNKNOWN_INSTANCE,
  /** The module's handler has no command of that name. */
  UNKNOWN_COMMAND,
  /** The arguments did not bind to the command's parameter types. */
  BAD_ARGUMENTS,
  /** The command threw an exception. */
  COMMAND_FAILED,
  /** The command's result could not be encoded or exceeds the maximum message size. */
  BAD_RESULT,
  /** The instance's mailbox was full; the call was not run. */
  OVERLOADED
}

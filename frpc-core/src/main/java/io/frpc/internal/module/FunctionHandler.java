package io.frpc.internal.module;

import java.util.List;
import java.util.Set;

/**
 * A handler whose commands are functions rather than public methods, for frpc-test's stubs of remote nodes. It
 * serves the commands {@link #commandNames()} lists when the node starts, each with any number of arguments, decoded
 * as plain values (null, booleans, numbers, strings, lists and maps); its result is encoded by its runtime type.
 */
public interface FunctionHandler {

  /** The commands this handler serves; read once, when the node starts. */
  Set<String> commandNames();

  /**
   * Runs {@code command}, on the thread frpc runs commands on; what it throws reaches the caller as the command's
   * failure, as a method's exception does.
   */
  Object run(String command, List<Object> arguments) throws Exception;
}

package io.frpc.internal.module;

import io.frpc.FrpcInstance;

/** One handler object of a module with its own mailbox. */
record ModuleInstance(FrpcInstance identity, Object handler, CommandTable commands, Mailbox mailbox) {

  int index() {
    return identity.index();
  }

  String instanceName() {
    return identity.instanceName();
  }

  /** How errors and logs name this instance. */
  String describe() {
    return "instance " + identity.index() + (identity.instanceName() == null ? "" : " of '"
        + identity.instanceName() + "'") + " of module '" + identity.module() + "'";
  }
}

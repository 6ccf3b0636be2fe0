package io.frpc.module;

/** One handler object of a module with its own mailbox. */
record ModuleInstance(int index, String instanceName, Object handler, CommandTable commands,
    Mailbox mailbox) {
}

package io.frpc;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A group of handler instances a node serves under one module: {@code instances} objects made by
 * {@code factory}, each with its own state. Spring users write {@code @FrpcHandler} instead.
 *
 * @param module          the module name callers use
 * @param instanceName    a name shared by these instances so callers can address them as a group, or {@code null}
 * @param instances       how many objects to create (at least 1)
 * @param concurrent      whether messages may run in parallel on one instance (stateless handlers);
 *                        {@code false} runs one message at a time per instance, in arrival order
 * @param mailboxCapacity messages queued or running per instance before callers get
 *                        {@link OverloadedException}; 0 for the node's default
 * @param handlerType     the class whose public methods are the commands, or {@code null} for the class
 *                        of the created objects
 * @param factory         creates one instance, told which one it is
 * @param nonBlocking     whether the commands never block (no I/O, no locks held long, no waiting on other
 *                        calls): they then run on the I/O thread that read the request, which saves two
 *                        thread hand-offs per call; the mailbox's order and capacity still apply, and calls
 *                        with arguments over 64 KiB (or a backlog past 64 messages) run on a worker. A blocking
 *                        frpc call made there fails at once, since it would wait for a reply that very thread
 *                        has to read
 * @param contracts       {@link io.frpc.client.FrpcClient} interfaces the handler serves without implementing
 *                        them: checked against its commands at start-up like interfaces it implements, so
 *                        caller-only methods (asynchronous or send forms) need no stubs in the handler
 */
public record HandlerDefinition(String module, String instanceName, int instances, boolean concurrent,
    int mailboxCapacity, Class<?> handlerType, Function<FrpcInstance, ?> factory, boolean nonBlocking,
    List<Class<?>> contracts) {

  public HandlerDefinition {
    if (module == null || module.isEmpty()) {
      throw new IllegalArgumentException("module name must not be empty");
    }
    if (instanceName != null && instanceName.isEmpty()) {
      instanceName = null;
    }
    if (instances < 1) {
      throw new IllegalArgumentException("module '" + module + "' needs at least 1 instance but was given "
          + instances);
    }
    if (mailboxCapacity < 0) {
      throw new IllegalArgumentException("mailbox capacity of module '" + module + "' must not be negative");
    }
    Objects.requireNonNull(factory, "factory");
    contracts = List.copyOf(contracts);
  }

  /** A definition without declared contracts. */
  public HandlerDefinition(String module, String instanceName, int instances, boolean concurrent,
      int mailboxCapacity, Class<?> handlerType, Function<FrpcInstance, ?> factory, boolean nonBlocking) {
    this(module, instanceName, instances, concurrent, mailboxCapacity, handlerType, factory, nonBlocking, List.of());
  }

  /** A definition whose commands run on worker threads (may block). */
  public HandlerDefinition(String module, String instanceName, int instances, boolean concurrent,
      int mailboxCapacity, Class<?> handlerType, Function<FrpcInstance, ?> factory) {
    this(module, instanceName, instances, concurrent, mailboxCapacity, handlerType, factory, false);
  }

  /** {@code instances} actor-style instances with the default mailbox. */
  public static HandlerDefinition of(String module, String instanceName, int instances,
      Function<FrpcInstance, ?> factory) {
    return new HandlerDefinition(module, instanceName, instances, false, 0, null, factory);
  }

  /** The same instances, with messages running in parallel on each. */
  public HandlerDefinition runConcurrently() {
    return new HandlerDefinition(module, instanceName, instances, true, mailboxCapacity, handlerType, factory,
        nonBlocking, contracts);
  }

  /** The same instances with a mailbox of {@code capacity} messages each. */
  public HandlerDefinition withMailboxCapacity(int capacity) {
    return new HandlerDefinition(module, instanceName, instances, concurrent, capacity, handlerType, factory,
        nonBlocking, contracts);
  }

  /** The same instances, with the commands taken from {@code type} (e.g. the class behind a proxy). */
  public HandlerDefinition withHandlerType(Class<?> type) {
    return new HandlerDefinition(module, instanceName, instances, concurrent, mailboxCapacity, type, factory,
        nonBlocking, contracts);
  }

  /**
   * The same instances, checked at start-up against {@code interfaces} ({@link io.frpc.client.FrpcClient}
   * interfaces the handler serves without implementing them; see {@link #contracts()}).
   */
  public HandlerDefinition withContracts(Class<?>... interfaces) {
    return new HandlerDefinition(module, instanceName, instances, concurrent, mailboxCapacity, handlerType, factory,
        nonBlocking, List.of(interfaces));
  }

  /**
   * The same instances, declared non-blocking: their commands run on the I/O thread that read the request
   * (see {@link #nonBlocking()}).
   */
  public HandlerDefinition runNonBlocking() {
    return new HandlerDefinition(module, instanceName, instances, concurrent, mailboxCapacity, handlerType, factory,
        true, contracts);
  }
}

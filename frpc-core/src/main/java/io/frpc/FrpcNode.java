package io.frpc;

import io.frpc.bridge.NodeBridge;
import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.DiscoveryHealth;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.discovery.RegistrationSignatures;
import io.frpc.internal.Names;
import io.frpc.internal.module.BridgedConnections;
import io.frpc.internal.module.ModuleRegistry;
import io.frpc.internal.module.RequestDispatcher;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.InboundBudget;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.pubsub.Publisher;
import io.frpc.internal.pubsub.SubscriberHub;
import io.frpc.internal.routing.CallExecutor;
import io.frpc.internal.routing.ClientSettings;
import io.frpc.internal.routing.RemoteNodes;
import io.frpc.internal.security.SharedSecrets;
import io.frpc.internal.transport.ClientConnector;
import io.frpc.internal.transport.ConnectionLimits;
import io.frpc.internal.transport.FrpcServer;
import io.frpc.internal.transport.ServerSettings;
import io.frpc.internal.transport.Tls;
import io.frpc.internal.transport.TransportResources;
import io.frpc.internal.transport.TransportSettings;
import io.frpc.pubsub.FrpcPublisher;
import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import io.frpc.status.NodeStatus;
import io.frpc.time.FrpcClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * One frpc node: its listener serving handler modules, its connections to the nodes discovery reports,
 * and the {@link FrpcTemplate} to call them. Spring Boot applications get one from the starter; without
 * Spring, build one:
 * <pre>{@code
 * try (FrpcNode node = FrpcNode.builder("lobby", 1)
 *     .listen("127.0.0.1", 9688)
 *     .handler(HandlerDefinition.of("room_m", "rooms", 4, self -> new RoomModule(self)))
 *     .discovery(new StaticNodeDiscovery(Map.of(new NodeId("game", 1), new HostPort("10.0.0.11", 9688))))
 *     .build()) {
 *   node.start();
 *   node.template().module("game", "room_m").call("ping", String.class);
 * }
 * }</pre>
 * A node takes its settings from its {@link Builder} once, in {@link Builder#build()}: changing the builder
 * afterwards changes no node. A setting left unset has the value of the {@code DEFAULT_*} constant of this class
 * that its builder method names (a few limits derive theirs from the process, as their methods say); the Spring
 * Boot properties default to the same constants.
 * Nothing is static: several nodes may live in one JVM, each with its own threads or on shared
 * {@link FrpcResources}.
 */
public final class FrpcNode implements AutoCloseable {

  /** Whether a node listens for calls ({@code frpc.server.enabled}): {@value}. */
  public static final boolean DEFAULT_SERVE = true;

  /** What connections travel on: {@link Transport#TCP}. {@link Transport#IN_JVM} is for tests. */
  public static final Transport DEFAULT_TRANSPORT = Transport.TCP;

  /** The interface the listener binds to ({@code frpc.server.host}): all of them, {@value}. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The TCP port the listener binds to ({@code frpc.server.port}): {@value}. */
  public static final int DEFAULT_PORT = 9688;

  /** Messages queued or running per handler instance ({@code frpc.server.mailbox-capacity}): {@value}. */
  public static final int DEFAULT_MAILBOX_CAPACITY = 10_000;

  /** Whether error replies carry the remote stack trace ({@code frpc.server.include-stacktrace}): {@value}. */
  public static final boolean DEFAULT_INCLUDE_STACK_TRACE = false;

  /**
   * Whether a served command runs with its caller, module, command and trace id in the SLF4J MDC
   * ({@code frpc.server.mdc}): {@value}.
   */
  public static final boolean DEFAULT_MDC = true;

  /** How long running and queued requests may finish on shutdown ({@code frpc.server.shutdown-timeout}): 30 s. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  /** Time a connection has to complete its handshake ({@code frpc.handshake-timeout}): 10 s. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** Connections that may be in the handshake at once ({@code frpc.server.max-handshaking}): {@value}. */
  public static final int DEFAULT_MAX_HANDSHAKING = 256;

  /**
   * Connections from one /24 (IPv4) or /64 (IPv6) network that may be in the handshake at once
   * ({@code frpc.server.max-handshaking-per-network}): {@value}.
   */
  public static final int DEFAULT_MAX_HANDSHAKING_PER_NETWORK = 128;

  /**
   * Connections from one remote address that may be in the handshake at once
   * ({@code frpc.server.max-handshaking-per-address}): {@value}.
   */
  public static final int DEFAULT_MAX_HANDSHAKING_PER_ADDRESS = 64;

  /**
   * New connections accepted from one remote address per second ({@code frpc.server.handshake-rate-per-address}):
   * {@value}.
   */
  public static final int DEFAULT_HANDSHAKE_RATE_PER_ADDRESS = 100;

  /** How long a call or send waits for a matching node ({@code frpc.client.connect-wait}): 3 s. */
  public static final Duration DEFAULT_CONNECT_WAIT = Duration.ofSeconds(3);

  /**
   * The timeout a call's deadline is set by, unless the call sets its own ({@code frpc.client.call-timeout}): 5 s.
   */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

  /** Most attempts of one call, the first included ({@code frpc.client.retry.max-attempts}): {@value}. */
  public static final int DEFAULT_RETRY_MAX_ATTEMPTS = 3;

  /**
   * The wait before a call is retried on the node it failed on, doubling per attempt
   * ({@code frpc.client.retry.backoff}): 20 ms.
   */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(20);

  /** Retries and hedges allowed per call made ({@code frpc.client.retry.budget-ratio}): {@value}. */
  public static final double DEFAULT_RETRY_BUDGET_RATIO = 0.2;

  /**
   * Retries allowed per second however few calls are made ({@code frpc.client.retry.budget-min-per-second}):
   * {@value}.
   */
  public static final int DEFAULT_RETRY_BUDGET_MIN_PER_SECOND = 10;

  /** Limit of one TCP connect attempt ({@code frpc.client.connect-timeout}): 3 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /** Delay before the first reconnect attempt ({@code frpc.client.reconnect-initial-backoff}): 100 ms. */
  public static final Duration DEFAULT_RECONNECT_INITIAL_BACKOFF = Duration.ofMillis(100);

  /** Longest delay between reconnect attempts ({@code frpc.client.reconnect-max-backoff}): 800 ms. */
  public static final Duration DEFAULT_RECONNECT_MAX_BACKOFF = Duration.ofMillis(800);

  /**
   * Whether {@code callAsync} futures complete on the I/O thread that read the reply
   * ({@code frpc.client.direct-completion}): {@value}.
   */
  public static final boolean DEFAULT_DIRECT_COMPLETION = false;

  /**
   * How a call without a node id or {@code mod} key picks one of the connected nodes
   * ({@code frpc.client.load-balancing}): {@link LoadBalancing#LEAST_LOADED}, as fast as round robin on equal
   * nodes and far better when one is slow (docs/benchmarks.md, "Load-aware choice").
   */
  public static final LoadBalancing DEFAULT_LOAD_BALANCING = LoadBalancing.LEAST_LOADED;

  /** Largest message accepted or sent, in bytes ({@code frpc.max-message-size}): 128 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 128 * 1024 * 1024;

  /**
   * Tokens one message may hold when it is decoded ({@code frpc.max-message-tokens}): 1,000,000. A token is a value,
   * a field name, or the start or end of an array or object; a {@code byte[]}, string or number is one.
   */
  public static final int DEFAULT_MAX_MESSAGE_TOKENS = PayloadCodec.DEFAULT_MAX_TOKENS;

  /** Size of the fragments larger messages travel as, in bytes ({@code frpc.fragment-size}): 64 KiB. */
  public static final int DEFAULT_FRAGMENT_SIZE = 64 * 1024;

  /**
   * Fragment bytes of large messages a connection sends ahead of what its peer has read ({@code frpc.fragment-window}):
   * 1 MiB.
   */
  public static final int DEFAULT_FRAGMENT_WINDOW = TransportSettings.DEFAULT_FRAGMENT_WINDOW;

  /** A PING is sent on every connection every this long ({@code frpc.heartbeat-interval}): 5 s. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  /** A connection is closed after this long without receiving ({@code frpc.heartbeat-timeout}): 15 s. */
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);

  /** I/O threads ({@code frpc.io-threads}): {@value}, which means min(4, available processors). */
  public static final int DEFAULT_IO_THREADS = 0;

  /**
   * Bytes that may wait to be written on one connection besides one message of up to the maximum message size
   * ({@code frpc.max-queued-outbound-bytes}): 64 MiB.
   */
  public static final long DEFAULT_MAX_QUEUED_OUTBOUND_BYTES = 64L * 1024 * 1024;

  /** A connection whose peer has not read for this long is closed ({@code frpc.unwritable-timeout}): 10 s. */
  public static final Duration DEFAULT_UNWRITABLE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Subscriptions one connection may hold ({@code frpc.pubsub.max-subscriptions-per-connection}): {@value}.
   */
  public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 4096;

  /**
   * Messages one subscription may queue for a listener that is behind ({@code frpc.pubsub.subscriber-backlog}):
   * {@value}.
   */
  public static final int DEFAULT_SUBSCRIBER_BACKLOG = 10_000;

  private static final Logger log = LoggerFactory.getLogger(FrpcNode.class);

  /** How much longer than the shutdown timeout {@link #close()} waits: closing connections and threads. */
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(10);

  private enum State { NEW, STARTED, CLOSED }

  private final LocalNode local;
  private final Instant startedAt;
  private final Settings settings;
  private final InboundBudget inboundBudget;
  private final SharedSecrets secrets;
  private final Tls tls;
  /** The threads this node created for itself, closed with it; {@code null} when it runs on shared ones. */
  private final FrpcResources ownResources;
  private final TransportResources resources;
  private final PayloadCodec codec;
  private final RemoteNodes client;
  private final FrpcTemplate template;
  private final Publisher publisher;
  private final SubscriberHub subscriptions;
  private final NodeDiscovery discovery;
  private volatile FrpcServer server;
  private volatile RequestDispatcher dispatcher;
  private final BridgedConnections bridge;
  /** Guarded by this node's monitor, as are the two futures: set once, by the first {@link #closeAsync()}. */
  private State state = State.NEW;
  /** Completes when the shutdown has run; only this class completes it. */
  private CompletableFuture<Void> closed;
  /** What {@link #closeAsync()} returns: completing or cancelling it does not touch {@link #closed}. */
  private CompletableFuture<Void> closedView;
  private volatile Thread shutdownThread;

  private FrpcNode(Settings settings) {
    this.settings = settings;
    this.local = LocalNode.start(settings.name, settings.id);
    this.inboundBudget = settings.limits.inboundBudget();
    this.codec = settings.smileMapper == null ? new PayloadCodec(settings.maxMessageTokens)
        : new PayloadCodec(settings.smileMapper, settings.maxMessageTokens);
    this.discovery = settings.discovery;
    this.secrets = new SharedSecrets(settings.secret, settings.acceptedSecrets, settings.nodeSecrets);
    this.tls = Tls.of(settings.serve ? settings.serverTls : null, settings.clientAuth, settings.clientTls,
        settings.verifyHostname);
    if (settings.resources != null && settings.resources.transport() != settings.transport.transport()) {
      throw new FrpcConfigurationException(null, "frpc node " + local.id() + " uses the "
          + settings.transport.transport() + " transport but was given resources built for "
          + settings.resources.transport(), "build the shared resources with FrpcResources.builder().transport("
          + settings.transport.transport() + ")");
    }
    // threads last: a setting refused above leaves nothing running
    this.ownResources = settings.resources == null
        ? new FrpcResources(local.id().toString(), settings.ioThreads, settings.clock, settings.transport.transport())
        : null;
    FrpcResources threads = ownResources != null ? ownResources : settings.resources;
    this.resources = new TransportResources(threads.ioGroup(),
        settings.clock != null ? settings.clock : threads.clock(), threads.workers(), threads.callbacks(),
        threads.events(), threads.channels());
    this.startedAt = resources.clock().instant();
    ClientConnector connector = new ClientConnector(local.id(), local.bootId(), settings.transport, settings.limits,
        inboundBudget, secrets, tls, resources, codec, settings.clientSettings.connectTimeout());
    Function<String, String> unknownNames = discovery == null ? name -> null : discovery::explainUnknownName;
    long queuedPublicationBytes = settings.maxQueuedPublicationBytes != null ? settings.maxQueuedPublicationBytes
        : Math.max(1 << 20, settings.limits.maxQueuedOutboundBytes() / 4);
    this.publisher = new Publisher(codec, settings.transport.maxMessageSize(), settings.maxSubscriptionsPerConnection,
        queuedPublicationBytes, resources.clock());
    this.subscriptions = new SubscriberHub(codec, resources.workers(), unknownNames, settings.subscriberBacklog,
        queuedPublicationBytes, settings.maxSubscriptionsPerConnection, resources.clock());
    this.client = new RemoteNodes(settings.clientSettings, connector, resources, unknownNames, subscriptions);
    settings.listeners.forEach(client::addListener);
    this.template = new FrpcTemplate(client, new CallExecutor(client, codec, settings.observer, settings.tracer),
        subscriptions);
    this.bridge = new BridgedConnections(local.id(), () -> dispatcher, publisher, codec, resources.clock());
  }

  /**
   * Starts building node {@code name:id}.
   *
   * @param name the name other nodes call this one by, shared by every process of the same role: 1 to 255
   *             ASCII letters, digits, {@code _}, {@code -} and {@code .}
   * @param id   unique among the nodes of that name, not negative
   * @throws FrpcConfigurationException naming {@code frpc.node.name} or {@code frpc.node.id} when either breaks
   *                                    that rule
   */
  public static Builder builder(String name, int id) {
    return new Builder(name, id);
  }

  /** This node's name and id. */
  public NodeId id() {
    return local.id();
  }

  /** This node's identity and boot id. */
  public LocalNode local() {
    return local;
  }

  /** Calls other nodes. Usable before {@link #start()}: calls then wait for a node as usual. */
  public FrpcTemplate template() {
    return template;
  }

  /**
   * This node's served modules and channels for a listener of another protocol (frpc-skynet's): its peers' requests
   * run and their subscriptions are served as frpc callers' are. Requests fail while the node is not started or
   * serves nothing.
   */
  public NodeBridge bridge() {
    return bridge;
  }

  /**
   * Publishes messages and state on this node's channels to the nodes subscribed to them; subscribe to
   * other nodes' channels with {@link FrpcTemplate#channels(String)}.
   */
  public FrpcPublisher publisher() {
    return publisher;
  }

  /** Adds a listener for node transitions from now on. */
  public void addListener(NodeListener listener) {
    client.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Creates the handler instances, binds the listener (when serving) and starts discovery.
   *
   * @throws FrpcConfigurationException when the listener cannot bind or a handler is invalid; the node is then
   *                                    closed
   * @throws IllegalStateException      when the node was closed
   */
  public synchronized void start() {
    if (state == State.STARTED) {
      return;
    }
    if (state == State.CLOSED) {
      throw new IllegalStateException("frpc node " + local.id() + " was closed; build a new one");
    }
    try {
      if (settings.serve) {
        ModuleRegistry registry = ModuleRegistry.create(local.id(), settings.handlers, settings.mailboxCapacity, codec,
            resources.workers());
        dispatcher = new RequestDispatcher(registry, codec, settings.includeStackTrace, settings.mdc, settings.observer,
            settings.tracer, resources.clock());
        FrpcServer listener = new FrpcServer(local.id(), local.bootId(), new ServerSettings(settings.host,
            settings.port), settings.transport, settings.limits, inboundBudget, secrets, tls, resources, codec,
            dispatcher, publisher, settings.observer);
        listener.start();
        server = listener;
      }
      if (discovery != null) {
        discovery.start(new Context());
      }
    } catch (RuntimeException | Error e) {
      // a node that cannot start holds no threads: it is closed, and a new one must be built
      try {
        close();
      } catch (RuntimeException | Error closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    state = State.STARTED;
  }

  /** Whether {@link #start()} ran and neither {@link #close()} nor {@link #closeAsync()} did. */
  public synchronized boolean isRunning() {
    return state == State.STARTED;
  }

  /**
   * Starts shutting the node down gracefully and returns at once; the returned future completes when the
   * shutdown is done. The steps, in this order, run on a thread of the node ({@code frpc-shutdown-<node>}),
   * never on the caller's: announces the shutdown on every connection (connected nodes route no new calls here
   * and close their connection once their pending calls are done; a node that connects meanwhile is told at
   * once); stops discovery (its registration is removed); stops accepting connections and keeps serving until
   * the told connections have closed and no request is running or queued, for up to the shutdown timeout; then
   * closes the remaining connections, this node's subscriptions and outgoing connections, and its threads (not
   * shared {@link FrpcResources}, which their owner closes). No node events are published on this node for it.
   *
   * <p>Every call returns the same future; completing or cancelling it does not change the shutdown. It
   * completes exceptionally with the first failure of a step (a discovery that cannot close, say), after the
   * remaining steps have still run.
   */
  public CompletableFuture<Void> closeAsync() {
    beginClose();
    synchronized (this) {
      return closedView;
    }
  }

  /**
   * Shuts the node down gracefully: {@link #closeAsync()}, then waits until the shutdown is done, at most the
   * shutdown timeout and 10 seconds more (after which the shutdown goes on in the background and a WARN says
   * so). An interrupt ends the wait early, with the thread's interrupt status set; the shutdown goes on. Called on
   * one of the node's own I/O threads or on its shutdown thread, it does not wait.
   *
   * @throws RuntimeException the first failure of a step of the shutdown (see {@link #closeAsync()})
   */
  @Override
  public void close() {
    CompletableFuture<Void> done = beginClose();
    if (Thread.currentThread() == shutdownThread || resources.inIoThread()) {
      return; // the shutdown needs this thread (or is running on it)
    }
    Duration limit = settings.shutdownTimeout.plus(CLOSE_MARGIN);
    try {
      done.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      log.warn("frpc node {} is still shutting down after {} ms (frpc.server.shutdown-timeout and 10 s); the "
          + "shutdown goes on in the background", local.id(), limit.toMillis());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error failure) {
        throw failure;
      }
      throw new IllegalStateException("frpc node " + local.id() + " did not shut down cleanly", e.getCause());
    }
  }

  /** Marks the node closed and starts the shutdown thread, once; returns the future it completes. */
  private CompletableFuture<Void> beginClose() {
    State was;
    CompletableFuture<Void> done;
    synchronized (this) {
      if (closed != null) {
        return closed;
      }
      was = state;
      state = State.CLOSED;
      done = new CompletableFuture<>();
      closed = done;
      closedView = done.copy();
    }
    Thread thread = new Thread(() -> shutDown(was == State.STARTED, done), "frpc-shutdown-" + local.id());
    // like the node's other threads; close() and Spring's lifecycle wait for it
    thread.setDaemon(true);
    shutdownThread = thread;
    thread.start();
    return done;
  }

  /** The steps of {@link #closeAsync()}, on the shutdown thread; a failing step does not keep the next from running. */
  private void shutDown(boolean wasStarted, CompletableFuture<Void> done) {
    FrpcServer listener = server;
    List<Throwable> failures = new ArrayList<>();
    if (listener != null) {
      // callers learn of the shutdown on their connection before discovery tells them the node is gone
      step(listener::announceShutdown, failures);
    }
    if (discovery != null && wasStarted) {
      step(discovery::close, failures);
    }
    if (listener != null) {
      step(() -> listener.stop(settings.shutdownTimeout), failures);
    }
    step(subscriptions::close, failures);
    step(client::close, failures);
    if (ownResources != null) {
      step(ownResources::close, failures);
    }
    if (failures.isEmpty()) {
      done.complete(null);
    } else {
      Throwable first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      done.completeExceptionally(first);
    }
  }

  private static void step(Runnable step, List<Throwable> failures) {
    try {
      step.run();
    } catch (RuntimeException | Error e) {
      failures.add(e);
    }
  }

  /**
   * The address the listener is bound to, or {@code null} when it does not serve or has not started. On the
   * {@link Transport#IN_JVM in-JVM transport}: the unresolved address of host {@value Transport#IN_JVM_HOST},
   * port 0.
   */
  public InetSocketAddress listenAddress() {
    FrpcServer listener = server;
    return listener == null ? null : listener.localAddress();
  }

  /** Whether this node's listener speaks TLS. */
  public boolean servesTls() {
    return tls.serves();
  }

  /**
   * Whether the listener is bound beyond loopback (to another address, or to all interfaces) while no shared
   * secret ({@code frpc.security.secret}) is set: then any process that reaches its port can call every module
   * and subscribe to every channel of this node. {@code false} when the node is not listening.
   */
  public boolean exposedWithoutSecret() {
    FrpcServer listener = server;
    return listener != null && listener.exposedWithoutSecret();
  }

  /** Whether this node serves modules (it may still be starting). */
  public boolean serves() {
    return settings.serve;
  }

  /** Whether the listener is bound and accepting. */
  public boolean isListening() {
    FrpcServer listener = server;
    return listener != null && listener.isRunning();
  }

  /** Health of discovery, or {@code null} when the node has none. */
  public DiscoveryHealth discoveryHealth() {
    return discovery == null ? null : discovery.health();
  }

  /** The node names discovery reports nodes of (empty without discovery, or when it cannot tell). */
  public Set<String> discoveredNames() {
    return discovery == null ? Set.of() : discovery.nodeNames();
  }

  /** Every node discovery reported, with the address it is kept connected to. */
  public Map<NodeId, String> knownNodes() {
    return client.knownNodes();
  }

  /** The connected nodes, by name and id. */
  public List<RemoteNode> connectedNodes() {
    return client.activeConnections().stream().map(connection -> connection.node()).toList();
  }

  /** Bytes this node received on all its connections since it started (TLS records included). */
  public long bytesReceived() {
    return resources.traffic().bytesIn();
  }

  /** Bytes this node sent on all its connections since it started. */
  public long bytesSent() {
    return resources.traffic().bytesOut();
  }

  /** Calls of this node waiting for their reply. */
  public int pendingCalls() {
    return client.activeConnections().stream().mapToInt(connection -> connection.pendingCalls()).sum();
  }

  /**
   * Bytes of the inbound budget ({@code frpc.max-inbound-bytes}) held now by large messages: those still arriving
   * in fragments, those received but not yet decoded, and those a {@link FrpcBytes} view still holds. Zero when the
   * node is idle.
   */
  public long inboundBytesHeld() {
    return inboundBudget.used();
  }

  /** Requests queued or running on this node's handler instances. */
  public int requestsInFlight() {
    RequestDispatcher current = dispatcher;
    return current == null ? 0 : current.inFlight();
  }

  /**
   * A snapshot of this node for operations: its identity and uptime, every node discovery reported with
   * its connection state, the modules it serves, and its pub/sub subscriptions. No secrets are in it.
   */
  public NodeStatus status() {
    InetSocketAddress listening = listenAddress();
    RequestDispatcher current = dispatcher;
    return new NodeStatus(local.id(), local.bootId(), listening == null ? null
        : listening.isUnresolved() ? listening.getHostString() + ":" + listening.getPort() : String.valueOf(listening),
        listening == null || settings.advertisedHost == null ? null
            : settings.advertisedHost + ":" + listening.getPort(),
        FrameType.PROTOCOL_VERSION, startedAt, Duration.between(startedAt, resources.clock().instant()),
        discoveryHealth(), client.status(), current == null ? List.of() : current.registry().status(),
        publisher.status(), subscriptions.status());
  }

  /** Accepted connections that have not completed the handshake, for tests in this package. */
  int handshakingConnections() {
    FrpcServer listener = server;
    return listener == null ? 0 : listener.handshakingConnections();
  }

  /** The client side, for tests in this package. */
  RemoteNodes client() {
    return client;
  }

  /** What discovery reports to: the client side of this node. */
  private final class Context implements DiscoveryContext {

    @Override
    public void nodeAvailable(NodeId node, String host, int port) {
      client.nodeAvailable(node, host, port);
    }

    @Override
    public void nodeUnavailable(NodeId node, NodeDownReason reason) {
      client.nodeUnavailable(node, reason);
    }

    @Override
    public CompletableFuture<Boolean> probe(NodeId node, Duration timeout) {
      return client.probe(node, timeout);
    }

    @Override
    public LocalNode localNode() {
      return local;
    }

    @Override
    public InetSocketAddress listenAddress() {
      return FrpcNode.this.listenAddress();
    }

    @Override
    public RegistrationSignatures registrationSignatures() {
      return secrets;
    }

    @Override
    public FrpcClock clock() {
      return resources.clock();
    }
  }

  /**
   * What {@link Builder#build()} copied from the builder: immutable, and the only place the node reads its
   * settings from, so a builder changed after {@code build()} changes no node.
   */
  private static final class Settings {

    final String name;
    final int id;
    final boolean serve;
    final String host;
    final int port;
    final String advertisedHost;
    final List<HandlerDefinition> handlers;
    final int mailboxCapacity;
    final int maxSubscriptionsPerConnection;
    final int subscriberBacklog;
    final Long maxQueuedPublicationBytes;
    final boolean includeStackTrace;
    final boolean mdc;
    final Duration shutdownTimeout;
    final TransportSettings transport;
    final ConnectionLimits limits;
    final ClientSettings clientSettings;
    final int ioThreads;
    final NodeDiscovery discovery;
    final SmileMapper smileMapper;
    final int maxMessageTokens;
    final String secret;
    final List<String> acceptedSecrets;
    final Map<String, String> nodeSecrets;
    final TlsSettings serverTls;
    final TlsClientAuth clientAuth;
    final TlsSettings clientTls;
    final boolean verifyHostname;
    final List<NodeListener> listeners;
    final FrpcObserver observer;
    final FrpcTracer tracer;
    final FrpcClock clock;
    final FrpcResources resources;

    /** @throws FrpcConfigurationException naming the property when a transport, limit or client value is wrong */
    Settings(Builder builder) {
      this.name = builder.name;
      this.id = builder.id;
      this.serve = builder.serve;
      this.host = builder.host;
      this.port = builder.port;
      this.advertisedHost = builder.advertisedHost;
      this.handlers = List.copyOf(builder.handlers);
      this.mailboxCapacity = builder.mailboxCapacity;
      this.maxSubscriptionsPerConnection = builder.maxSubscriptionsPerConnection;
      this.subscriberBacklog = builder.subscriberBacklog;
      this.maxQueuedPublicationBytes = builder.maxQueuedPublicationBytes;
      this.includeStackTrace = builder.includeStackTrace;
      this.mdc = builder.mdc;
      this.shutdownTimeout = builder.shutdownTimeout;
      this.transport = new TransportSettings(builder.maxMessageSize, builder.fragmentSize, builder.heartbeatInterval,
          builder.heartbeatTimeout, builder.handshakeTimeout, builder.protocolFeatures, builder.transport,
          builder.socketBufferSize, builder.fragmentWindow);
      this.limits = new ConnectionLimits(builder.maxInboundBytes, builder.maxQueuedOutboundBytes,
          builder.unwritableTimeout, builder.maxConnections, builder.maxHandshaking, builder.maxHandshakingPerNetwork,
          builder.maxHandshakingPerAddress, builder.handshakeRatePerAddress);
      this.clientSettings = new ClientSettings(builder.connectWait, builder.callTimeout, builder.connectTimeout,
          builder.reconnectInitialBackoff, builder.reconnectMaxBackoff, builder.directCompletion,
          builder.retryMaxAttempts, builder.retryBackoff, builder.retryBudgetRatio, builder.retryBudgetMinPerSecond,
          builder.loadBalancing);
      this.ioThreads = builder.ioThreads;
      this.discovery = builder.discovery;
      this.smileMapper = builder.smileMapper;
      this.maxMessageTokens = builder.maxMessageTokens;
      this.secret = builder.secret;
      this.acceptedSecrets = List.copyOf(builder.acceptedSecrets);
      this.nodeSecrets = Map.copyOf(builder.nodeSecrets);
      this.serverTls = builder.serverTls;
      this.clientAuth = builder.clientAuth;
      this.clientTls = builder.clientTls;
      this.verifyHostname = builder.verifyHostname;
      this.listeners = List.copyOf(builder.listeners);
      this.observer = builder.observer;
      this.tracer = builder.tracer;
      this.clock = builder.clock;
      this.resources = builder.resources;
    }
  }

  /**
   * Settings of a node, each with the Spring Boot property it stands for and its default, a {@code DEFAULT_*}
   * constant of {@link FrpcNode}. Values are checked, and copied into the node, by {@link #build()}; the builder
   * may then be changed and built again without touching nodes built before.
   */
  public static final class Builder {

    /** Derived from this process's heap and file-descriptor limit, so not public constants. */
    private static final long DEFAULT_MAX_INBOUND_BYTES = ConnectionLimits.defaultMaxInboundBytes();
    private static final int DEFAULT_MAX_CONNECTIONS = ConnectionLimits.defaultMaxConnections();

    private final String name;
    private final int id;
    private boolean serve = DEFAULT_SERVE;
    private Transport transport = DEFAULT_TRANSPORT;
    private String host = DEFAULT_HOST;
    private String advertisedHost;
    private int port = DEFAULT_PORT;
    private final List<HandlerDefinition> handlers = new ArrayList<>();
    private int mailboxCapacity = DEFAULT_MAILBOX_CAPACITY;
    private int maxSubscriptionsPerConnection = DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;
    private int subscriberBacklog = DEFAULT_SUBSCRIBER_BACKLOG;
    private Long maxQueuedPublicationBytes;
    private boolean includeStackTrace = DEFAULT_INCLUDE_STACK_TRACE;
    private boolean mdc = DEFAULT_MDC;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int maxMessageTokens = DEFAULT_MAX_MESSAGE_TOKENS;
    private int fragmentSize = DEFAULT_FRAGMENT_SIZE;
    private int socketBufferSize;
    private int fragmentWindow = DEFAULT_FRAGMENT_WINDOW;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration connectWait = DEFAULT_CONNECT_WAIT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration reconnectInitialBackoff = DEFAULT_RECONNECT_INITIAL_BACKOFF;
    private Duration reconnectMaxBackoff = DEFAULT_RECONNECT_MAX_BACKOFF;
    private boolean directCompletion = DEFAULT_DIRECT_COMPLETION;
    private int retryMaxAttempts = DEFAULT_RETRY_MAX_ATTEMPTS;
    private Set<String> protocolFeatures = FrameType.FEATURES;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private double retryBudgetRatio = DEFAULT_RETRY_BUDGET_RATIO;
    private int retryBudgetMinPerSecond = DEFAULT_RETRY_BUDGET_MIN_PER_SECOND;
    private LoadBalancing loadBalancing = DEFAULT_LOAD_BALANCING;
    private int ioThreads = DEFAULT_IO_THREADS;
    private long maxInboundBytes = DEFAULT_MAX_INBOUND_BYTES;
    private long maxQueuedOutboundBytes = DEFAULT_MAX_QUEUED_OUTBOUND_BYTES;
    private Duration unwritableTimeout = DEFAULT_UNWRITABLE_TIMEOUT;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxHandshaking = DEFAULT_MAX_HANDSHAKING;
    private int maxHandshakingPerNetwork = DEFAULT_MAX_HANDSHAKING_PER_NETWORK;
    private int maxHandshakingPerAddress = DEFAULT_MAX_HANDSHAKING_PER_ADDRESS;
    private int handshakeRatePerAddress = DEFAULT_HANDSHAKE_RATE_PER_ADDRESS;
    private NodeDiscovery discovery;
    private SmileMapper smileMapper;
    private String secret;
    private TlsSettings serverTls;
    private TlsClientAuth clientAuth = TlsClientAuth.NONE;
    private TlsSettings clientTls;
    private boolean verifyHostname = true;
    private List<String> acceptedSecrets = List.of();
    private final Map<String, String> nodeSecrets = new HashMap<>();
    private final List<NodeListener> listeners = new ArrayList<>();
    private FrpcObserver observer = FrpcObserver.NONE;
    private FrpcTracer tracer = FrpcTracer.NONE;
    private FrpcClock clock;
    private FrpcResources resources;

    private Builder(String name, int id) {
      if (name == null || name.isBlank()) {
        throw new FrpcConfigurationException("frpc.node.name", "frpc.node.name is required",
            "set it to the name other nodes call this one by (for example frpc.node.name=game), and frpc.node.id "
                + "to its id among the nodes of that name");
      }
      Names.checkNodeName(name, "frpc.node.name");
      Names.checkNodeId(id, "frpc.node.id");
      this.name = name;
      this.id = id;
    }

    /**
     * Where the listener binds ({@code frpc.server.host}, {@link FrpcNode#DEFAULT_HOST}; {@code frpc.server.port},
     * {@link FrpcNode#DEFAULT_PORT}; port 0 picks a free one).
     */
    public Builder listen(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      this.serve = true;
      return this;
    }

    /**
     * What this node's connections travel on ({@link FrpcNode#DEFAULT_TRANSPORT}): {@link Transport#IN_JVM} runs
     * them over local channels inside this JVM, for tests (see there for its addresses); {@link #listen} is then
     * ignored, and {@link #resources(FrpcResources) shared resources} must be built for the same transport.
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * The host other nodes reach this one at ({@code frpc.server.advertised-host}), when it differs from the
     * listen address; shown in {@link FrpcNode#status()} (discovery registers its own).
     */
    public Builder advertisedHost(String host) {
      this.advertisedHost = host;
      return this;
    }

    /**
     * Whether this node listens for calls ({@code frpc.server.enabled}, {@link FrpcNode#DEFAULT_SERVE}); a pure
     * caller passes false.
     */
    public Builder serve(boolean serve) {
      this.serve = serve;
      return this;
    }

    /** Serves a group of handler instances. */
    public Builder handler(HandlerDefinition definition) {
      handlers.add(Objects.requireNonNull(definition, "definition"));
      return this;
    }

    /**
     * Default mailbox capacity per instance ({@code frpc.server.mailbox-capacity},
     * {@link FrpcNode#DEFAULT_MAILBOX_CAPACITY}).
     */
    public Builder mailboxCapacity(int capacity) {
      this.mailboxCapacity = capacity;
      return this;
    }

    /**
     * Subscriptions one connection may hold ({@code frpc.pubsub.max-subscriptions-per-connection},
     * {@link FrpcNode#DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION}): a node refuses more from a peer, and this node
     * makes no more on one node.
     */
    public Builder maxSubscriptionsPerConnection(int subscriptions) {
      this.maxSubscriptionsPerConnection = subscriptions;
      return this;
    }

    /**
     * Messages one subscription may queue for a listener that is behind ({@code frpc.pubsub.subscriber-backlog},
     * {@link FrpcNode#DEFAULT_SUBSCRIBER_BACKLOG}; also at most {@code frpc.pubsub.max-queued-bytes} of them);
     * later ones are dropped and reported as a gap with the next delivered message.
     */
    public Builder subscriberBacklog(int messages) {
      this.subscriberBacklog = messages;
      return this;
    }

    /**
     * Bytes that may wait to be written to one subscribing connection before publications to it are dropped,
     * and bytes of messages one subscription may queue for a listener that is behind
     * ({@code frpc.pubsub.max-queued-bytes}; by default a quarter of {@code frpc.max-queued-outbound-bytes}, at
     * least 1 MiB: 16 MiB; when set, at least 1 MiB and below it). A publisher never waits for a subscriber.
     */
    public Builder maxQueuedPublicationBytes(long bytes) {
      this.maxQueuedPublicationBytes = bytes;
      return this;
    }

    /**
     * Whether error replies carry the remote stack trace ({@code frpc.server.include-stacktrace},
     * {@link FrpcNode#DEFAULT_INCLUDE_STACK_TRACE}).
     */
    public Builder includeStackTrace(boolean include) {
      this.includeStackTrace = include;
      return this;
    }

    /**
     * Whether a served command runs with the SLF4J MDC keys {@code frpc.caller}, {@code frpc.module},
     * {@code frpc.command} and, in a trace, {@code traceId} set, so its log lines say who called what
     * ({@code frpc.server.mdc}, {@link FrpcNode#DEFAULT_MDC}). They are removed when the command returns.
     */
    public Builder mdc(boolean enabled) {
      this.mdc = enabled;
      return this;
    }

    /**
     * How long a shutdown ({@link FrpcNode#closeAsync()}) lets requests finish
     * ({@code frpc.server.shutdown-timeout}, {@link FrpcNode#DEFAULT_SHUTDOWN_TIMEOUT}).
     */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Largest message accepted or sent, in bytes ({@code frpc.max-message-size},
     * {@link FrpcNode#DEFAULT_MAX_MESSAGE_SIZE}).
     */
    public Builder maxMessageSize(int bytes) {
      this.maxMessageSize = bytes;
      return this;
    }

    /**
     * Tokens one message may hold when it is decoded ({@code frpc.max-message-tokens},
     * {@link FrpcNode#DEFAULT_MAX_MESSAGE_TOKENS}): Smile turns a byte or two into an object of tens of bytes, so
     * this, not the message size, bounds the objects one message of a peer's becomes. A message with more fails to
     * decode: a request is answered {@code BAD_ARGUMENTS}, a reply fails its call, a publication is dropped.
     */
    public Builder maxMessageTokens(int tokens) {
      this.maxMessageTokens = tokens;
      return this;
    }

    /**
     * Larger messages travel as fragments of this size ({@code frpc.fragment-size},
     * {@link FrpcNode#DEFAULT_FRAGMENT_SIZE}).
     */
    public Builder fragmentSize(int bytes) {
      this.fragmentSize = bytes;
      return this;
    }

    /**
     * The kernel's send and receive buffer of each TCP connection ({@code frpc.socket-buffer-size}); 0, the default,
     * leaves them to the operating system, which grows them with the traffic (on Linux up to {@code tcp_rmem} and
     * {@code tcp_wmem}, several MiB). Small calls travel behind whatever part of a large message the kernel holds
     * on their connection; with peers that grant what they read (the {@code window} feature) {@link #fragmentWindow}
     * bounds that already, and with older peers a smaller buffer bounds it, at the cost of bulk throughput
     * (docs/operations.md).
     */
    public Builder socketBufferSize(int bytes) {
      this.socketBufferSize = bytes;
      return this;
    }

    /**
     * Fragment bytes of large messages each connection sends ahead of what its peer has read
     * ({@code frpc.fragment-window}, {@link FrpcNode#DEFAULT_FRAGMENT_WINDOW}; at least 16 KiB), when the peer
     * grants back what it reads (the {@code window} feature, which this version always offers). Small calls travel
     * behind at most this much of a large message, whatever the kernel would buffer; a large message moves at most
     * a window per round trip, so raise it for links whose bandwidth times round trip exceeds it (docs/operations.md).
     */
    public Builder fragmentWindow(int bytes) {
      this.fragmentWindow = bytes;
      return this;
    }

    /**
     * Heartbeats ({@code frpc.heartbeat-interval}, {@link FrpcNode#DEFAULT_HEARTBEAT_INTERVAL};
     * {@code frpc.heartbeat-timeout}, {@link FrpcNode#DEFAULT_HEARTBEAT_TIMEOUT}): a PING every
     * {@code interval} on every connection; a connection silent for {@code timeout} is closed.
     */
    public Builder heartbeat(Duration interval, Duration timeout) {
      this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
      this.heartbeatTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * A connection whose handshake has not completed by then is closed ({@code frpc.handshake-timeout},
     * {@link FrpcNode#DEFAULT_HANDSHAKE_TIMEOUT}).
     */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * How long a call or send waits for a matching node ({@code frpc.client.connect-wait},
     * {@link FrpcNode#DEFAULT_CONNECT_WAIT}).
     */
    public Builder connectWait(Duration wait) {
      this.connectWait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /**
     * The timeout a call's deadline is set by when the call sets none ({@code frpc.client.call-timeout},
     * {@link FrpcNode#DEFAULT_CALL_TIMEOUT}). The deadline covers the wait for a node, every attempt and the reply.
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Announces only {@code features} of this version's optional protocol features in handshakes, as an older
     * version would: for tests of interoperability between versions.
     */
    Builder protocolFeatures(Set<String> features) {
      this.protocolFeatures = Set.copyOf(features);
      return this;
    }

    /**
     * Most attempts of one call, the first included ({@code frpc.client.retry.max-attempts},
     * {@link FrpcNode#DEFAULT_RETRY_MAX_ATTEMPTS}); 1 turns retries, failover and hedging off.
     */
    public Builder retryMaxAttempts(int attempts) {
      this.retryMaxAttempts = attempts;
      return this;
    }

    /**
     * The wait before a call is retried on the node it failed on, doubling per attempt, ±20 %
     * ({@code frpc.client.retry.backoff}, {@link FrpcNode#DEFAULT_RETRY_BACKOFF}); failing over to another node
     * does not wait.
     */
    public Builder retryBackoff(Duration backoff) {
      this.retryBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * The retry budget: retries and hedges allowed per call made ({@code frpc.client.retry.budget-ratio},
     * {@link FrpcNode#DEFAULT_RETRY_BUDGET_RATIO}) and per second however few calls are made
     * ({@code frpc.client.retry.budget-min-per-second}, {@link FrpcNode#DEFAULT_RETRY_BUDGET_MIN_PER_SECOND}).
     * When every node fails, calls are not retried beyond it.
     */
    public Builder retryBudget(double ratio, int minPerSecond) {
      this.retryBudgetRatio = ratio;
      this.retryBudgetMinPerSecond = minPerSecond;
      return this;
    }

    /**
     * Whether {@code callAsync} futures complete, and run their continuations, on the I/O thread that read
     * the reply ({@code frpc.client.direct-completion}, {@link FrpcNode#DEFAULT_DIRECT_COMPLETION}): saves a
     * thread hand-off per call for callers whose continuations never block. Off, they complete on a callback
     * thread. Either way a blocking frpc call made on an I/O thread fails at once instead of waiting for a reply
     * that thread has to read.
     */
    public Builder directCompletion(boolean direct) {
      this.directCompletion = direct;
      return this;
    }

    /**
     * How a call without a node id or {@code mod} key picks one of the connected nodes of the name
     * ({@code frpc.client.load-balancing}, {@link FrpcNode#DEFAULT_LOAD_BALANCING}): the less loaded of two drawn
     * at random, by their calls waiting for a reply and the average round trip of their recent calls
     * ({@link LoadBalancing#LEAST_LOADED}), so a slow or overloaded node gets fewer calls; or each in turn
     * ({@link LoadBalancing#ROUND_ROBIN}). Calls to a node id, with {@code mod(key)} or to all nodes are not
     * affected.
     */
    public Builder loadBalancing(LoadBalancing balancing) {
      this.loadBalancing = Objects.requireNonNull(balancing, "balancing");
      return this;
    }

    /**
     * Limit of one TCP connect attempt ({@code frpc.client.connect-timeout},
     * {@link FrpcNode#DEFAULT_CONNECT_TIMEOUT}).
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Reconnect backoff ({@code frpc.client.reconnect-initial-backoff},
     * {@link FrpcNode#DEFAULT_RECONNECT_INITIAL_BACKOFF}, doubling up to {@code frpc.client.reconnect-max-backoff},
     * {@link FrpcNode#DEFAULT_RECONNECT_MAX_BACKOFF}).
     */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      this.reconnectInitialBackoff = Objects.requireNonNull(initial, "initial");
      this.reconnectMaxBackoff = Objects.requireNonNull(max, "max");
      return this;
    }

    /**
     * I/O threads ({@code frpc.io-threads}, {@link FrpcNode#DEFAULT_IO_THREADS}; 0 means min(4, processors));
     * ignored with {@link #resources(FrpcResources) shared resources}, which have their own.
     */
    public Builder ioThreads(int threads) {
      this.ioThreads = threads;
      return this;
    }

    /**
     * Memory for large (fragmented) inbound messages of all connections together, until decoded or, for a
     * {@link FrpcBytes} view of one, until the view is closed ({@code frpc.max-inbound-bytes}; a quarter of the heap,
     * at most 2 GiB). A peer that would exceed it is disconnected.
     */
    public Builder maxInboundBytes(long bytes) {
      this.maxInboundBytes = bytes;
      return this;
    }

    /**
     * Bytes that may wait to be written on one connection besides one message of up to the maximum message
     * size ({@code frpc.max-queued-outbound-bytes}, {@link FrpcNode#DEFAULT_MAX_QUEUED_OUTBOUND_BYTES}); a
     * connection whose peer lets more pile up is closed.
     */
    public Builder maxQueuedOutboundBytes(long bytes) {
      this.maxQueuedOutboundBytes = bytes;
      return this;
    }

    /**
     * A connection whose peer has not read for this long is closed ({@code frpc.unwritable-timeout},
     * {@link FrpcNode#DEFAULT_UNWRITABLE_TIMEOUT}).
     */
    public Builder unwritableTimeout(Duration timeout) {
      this.unwritableTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Connections the listener keeps open at most ({@code frpc.server.max-connections}; by default 2,048, or
     * fewer under a low file-descriptor limit: a quarter of the process's descriptors stays free). When they are
     * reached, a new connection closes the oldest one still in the handshake, or is refused when every one has
     * completed it.
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = connections;
      return this;
    }

    /**
     * Connections that may be in the handshake at once ({@code frpc.server.max-handshaking},
     * {@link FrpcNode#DEFAULT_MAX_HANDSHAKING}); one more closes the oldest of them. Peers that complete their
     * handshake in milliseconds keep getting in while connections that never complete it are closed oldest first.
     */
    public Builder maxHandshaking(int connections) {
      this.maxHandshaking = connections;
      return this;
    }

    /**
     * Connections from one /24 (IPv4) or /64 (IPv6) network that may be in the handshake at once
     * ({@code frpc.server.max-handshaking-per-network}, {@link FrpcNode#DEFAULT_MAX_HANDSHAKING_PER_NETWORK}); one
     * more closes the network's oldest.
     */
    public Builder maxHandshakingPerNetwork(int connections) {
      this.maxHandshakingPerNetwork = connections;
      return this;
    }

    /**
     * Connections from one remote address that may be in the handshake at once
     * ({@code frpc.server.max-handshaking-per-address}, {@link FrpcNode#DEFAULT_MAX_HANDSHAKING_PER_ADDRESS}); one
     * more closes the address's oldest.
     */
    public Builder maxHandshakingPerAddress(int connections) {
      this.maxHandshakingPerAddress = connections;
      return this;
    }

    /**
     * New connections accepted from one remote address per second, with a burst of as many
     * ({@code frpc.server.handshake-rate-per-address}, {@link FrpcNode#DEFAULT_HANDSHAKE_RATE_PER_ADDRESS});
     * connections beyond it are closed at once.
     */
    public Builder handshakeRatePerAddress(int connectionsPerSecond) {
      this.handshakeRatePerAddress = connectionsPerSecond;
      return this;
    }

    /**
     * The shared secret ({@code frpc.security.secret}, at least 16 bytes): every connection, in and out,
     * runs a mutual HMAC-SHA256 challenge-response over fresh nonces; a peer without it is refused. The
     * secret never crosses the wire. {@code null} (the default) authenticates nothing.
     */
    public Builder secret(String secret) {
      this.secret = secret;
      return this;
    }

    /**
     * Further secrets accepted from peers, for rotating the secret without downtime
     * ({@code frpc.security.accepted-secrets}).
     */
    public Builder acceptedSecrets(List<String> secrets) {
      this.acceptedSecrets = List.copyOf(secrets);
      return this;
    }

    /**
     * The secret this node uses towards nodes named {@code nodeName}, for a cluster with a secret of its
     * own ({@code frpc.security.node-secrets.<name>}).
     */
    public Builder nodeSecret(String nodeName, String secret) {
      this.nodeSecrets.put(Objects.requireNonNull(nodeName, "nodeName"), Objects.requireNonNull(secret, "secret"));
      return this;
    }

    /**
     * Serves over TLS ({@code frpc.server.ssl.bundle}, {@code frpc.server.ssl.client-auth}); without it the
     * listener is plain.
     */
    public Builder serverTls(TlsSettings settings, TlsClientAuth clientAuth) {
      this.serverTls = Objects.requireNonNull(settings, "settings");
      this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
      return this;
    }

    /**
     * Calls other nodes over TLS ({@code frpc.client.ssl.bundle}); {@code verifyHostname}
     * ({@code frpc.client.ssl.verify-hostname}, true) requires each node's certificate to name the host
     * discovery gave for it.
     */
    public Builder clientTls(TlsSettings settings, boolean verifyHostname) {
      this.clientTls = Objects.requireNonNull(settings, "settings");
      this.verifyHostname = verifyHostname;
      return this;
    }

    /** Where node addresses come from; without one, no node is ever connected. */
    public Builder discovery(NodeDiscovery discovery) {
      this.discovery = discovery;
      return this;
    }

    /**
     * The Jackson Smile mapper for arguments and results, for applications that register their own
     * modules; start from {@link #defaultSmileMapper()} to keep frpc's settings.
     */
    public Builder smileMapper(SmileMapper mapper) {
      this.smileMapper = mapper;
      return this;
    }

    /** frpc's Smile mapper settings, to extend and pass to {@link #smileMapper(SmileMapper)}. */
    public static SmileMapper.Builder defaultSmileMapper() {
      return PayloadCodec.defaultMapperBuilder();
    }

    /** Receives a measurement of every call, send and served request (metrics); none by default. */
    public Builder observer(FrpcObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * The clock the node reads the time from and sets its timers with (deadlines, reconnects, rate-limited logs,
     * discovery; a connection's own timers, such as heartbeats, run on its event loop), owned by the caller; by
     * default the clock of its {@link #resources(FrpcResources) resources} (a system clock the node owns, unless it
     * runs on shared ones). Tests pass a {@link io.frpc.time.ManualClock} to move time themselves.
     */
    public Builder clock(FrpcClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Runs the node on shared threads and clock instead of its own; the node uses them and never shuts them
     * down: their owner closes them after the nodes using them. Without (the default), the node creates its own
     * and closes them with itself. {@link #ioThreads(int)} is then ignored, and a {@link #clock(FrpcClock) clock}
     * given to the node is still the node's.
     */
    public Builder resources(FrpcResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Carries traces across nodes: calls made in a trace send its context, and commands run in it; none by
     * default.
     */
    public Builder tracer(FrpcTracer tracer) {
      this.tracer = Objects.requireNonNull(tracer, "tracer");
      return this;
    }

    /** Adds a listener for node transitions. */
    public Builder listener(NodeListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the node and its threads; {@link FrpcNode#start()} starts serving and discovery.
     *
     * @throws FrpcConfigurationException naming the property when a value is out of range
     */
    public FrpcNode build() {
      if (serve && (port < 0 || port > 65535)) {
        throw new FrpcConfigurationException("frpc.server.port", "frpc.server.port " + port + " is outside 0..65535",
            "set it to a free TCP port, or 0 to pick one");
      }
      if (maxMessageTokens < 1) {
        throw new FrpcConfigurationException("frpc.max-message-tokens", "frpc.max-message-tokens must be positive "
            + "but was " + maxMessageTokens, "set it to the tokens one message may hold, e.g. "
            + DEFAULT_MAX_MESSAGE_TOKENS);
      }
      if (mailboxCapacity < 1) {
        throw new FrpcConfigurationException("frpc.server.mailbox-capacity", "frpc.server.mailbox-capacity must be "
            + "positive but was " + mailboxCapacity, "set it to the messages an instance may queue, e.g. 10000");
      }
      if (maxSubscriptionsPerConnection < 1) {
        throw new FrpcConfigurationException("frpc.pubsub.max-subscriptions-per-connection", "frpc.pubsub."
            + "max-subscriptions-per-connection must be positive but was " + maxSubscriptionsPerConnection,
            "set it to the subscriptions a node may hold on one connection, e.g. 4096");
      }
      if (maxQueuedPublicationBytes != null && (maxQueuedPublicationBytes < (1 << 20)
          || maxQueuedPublicationBytes >= maxQueuedOutboundBytes)) {
        throw new FrpcConfigurationException("frpc.pubsub.max-queued-bytes", "frpc.pubsub.max-queued-bytes must be "
            + "at least 1MB and below frpc.max-queued-outbound-bytes (" + maxQueuedOutboundBytes + " bytes) but was "
            + maxQueuedPublicationBytes + " bytes", "set it to what one slow subscriber may hold up, e.g. 16MB");
      }
      if (subscriberBacklog < 1) {
        throw new FrpcConfigurationException("frpc.pubsub.subscriber-backlog", "frpc.pubsub.subscriber-backlog must "
            + "be positive but was " + subscriberBacklog, "set it to the messages a subscription may queue, e.g. 10000");
      }
      if (shutdownTimeout.isNegative()) {
        throw new FrpcConfigurationException("frpc.server.shutdown-timeout", "frpc.server.shutdown-timeout must not"
            + " be negative", "set it to how long requests may finish on shutdown, e.g. 30s");
      }
      return new FrpcNode(new Settings(this));
    }
  }
}

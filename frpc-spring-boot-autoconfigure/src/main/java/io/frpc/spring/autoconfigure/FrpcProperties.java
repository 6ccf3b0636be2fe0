package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.LoadBalancing;
import io.frpc.TlsClientAuth;
import io.frpc.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of an frpc node. A node that serves modules on port 9688 and calls two nodes of
 * {@code cluster_server}:
 * <pre>
 * frpc:
 *   node:
 *     name: game
 *     id: 1
 *   discovery:
 *     type: static
 *     static:
 *       nodes:
 *         cluster_server:
 *           1: 127.0.0.1:9688
 *           2: 127.0.0.1:9689
 * </pre>
 * A property left unset has the default of the {@link FrpcNode.Builder} method it maps to, a {@code DEFAULT_*}
 * constant of {@link FrpcNode}; the configuration metadata repeats them for IDEs (held equal by a test).
 */
@ConfigurationProperties("frpc")
public class FrpcProperties {

  private final Node node = new Node();
  private final Server server = new Server();
  private final Client client = new Client();
  private final Discovery discovery = new Discovery();
  private final Security security = new Security();
  private final PubSub pubsub = new PubSub();
  private final Health health = new Health();

  /** Largest message accepted or sent; a larger call fails with MessageTooLargeException before it is sent. */
  private DataSize maxMessageSize = DataSize.ofBytes(FrpcNode.DEFAULT_MAX_MESSAGE_SIZE);

  /**
   * Tokens one message may hold when it is decoded: each value, field name, and start or end of an array or
   * object (a byte[], string or number is one). It bounds the objects a peer's message becomes, a few bytes of
   * Smile each; a request with more is answered BAD_ARGUMENTS, a reply with more fails its call, a publication with
   * more is dropped.
   */
  private int maxMessageTokens = FrpcNode.DEFAULT_MAX_MESSAGE_TOKENS;

  /** Messages larger than this travel as fragments of this size, interleaved with small messages. */
  private DataSize fragmentSize = DataSize.ofBytes(FrpcNode.DEFAULT_FRAGMENT_SIZE);

  /**
   * The kernel's send and receive buffer of each TCP connection. Unset: left to the operating system, which grows
   * them with the traffic. With peers of this version, frpc.fragment-window already bounds how much of a large
   * message small calls wait behind; with older peers, a smaller buffer (e.g. 256KB) bounds it, at the cost of bulk
   * throughput.
   */
  private DataSize socketBufferSize;

  /**
   * Fragment bytes of large messages each connection sends ahead of what its peer has read (with peers of this
   * version; at least 16KB). Small calls travel behind at most this much of a large message; a large message moves
   * at most this much per round trip, so raise it for links whose bandwidth times round-trip time exceeds it.
   */
  private DataSize fragmentWindow = DataSize.ofBytes(FrpcNode.DEFAULT_FRAGMENT_WINDOW);

  /**
   * A connection, accepted or opened by this node, that has not completed its handshake within this time is
   * closed.
   */
  private Duration handshakeTimeout = FrpcNode.DEFAULT_HANDSHAKE_TIMEOUT;

  /** A heartbeat is sent on every connection every this long. */
  private Duration heartbeatInterval = FrpcNode.DEFAULT_HEARTBEAT_INTERVAL;

  /** A connection is closed as dead after this long without receiving anything. */
  private Duration heartbeatTimeout = FrpcNode.DEFAULT_HEARTBEAT_TIMEOUT;

  /** Number of I/O threads shared by the server and client side; 0 means min(4, available processors). */
  private int ioThreads = FrpcNode.DEFAULT_IO_THREADS;

  /**
   * Memory for large (fragmented) inbound messages of all connections together, until decoded (or, for a
   * FrpcBytes view of one, until the view is closed); a peer that would exceed it is disconnected. Unset: a quarter
   * of the maximum heap, at most 2GB.
   */
  private DataSize maxInboundBytes;

  /**
   * Bytes that may wait to be written on one connection besides one message of up to frpc.max-message-size
   * (so a large message never closes its connection); a connection whose peer lets more pile up is closed.
   */
  private DataSize maxQueuedOutboundBytes = DataSize.ofBytes(FrpcNode.DEFAULT_MAX_QUEUED_OUTBOUND_BYTES);

  /** A connection whose peer has not read what this node writes for this long is closed. */
  private Duration unwritableTimeout = FrpcNode.DEFAULT_UNWRITABLE_TIMEOUT;

  public Node getNode() {
    return node;
  }

  public Server getServer() {
    return server;
  }

  public Client getClient() {
    return client;
  }

  public Discovery getDiscovery() {
    return discovery;
  }

  public Security getSecurity() {
    return security;
  }

  public PubSub getPubsub() {
    return pubsub;
  }

  public Health getHealth() {
    return health;
  }

  public DataSize getMaxMessageSize() {
    return maxMessageSize;
  }

  public void setMaxMessageSize(DataSize maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
  }

  public int getMaxMessageTokens() {
    return maxMessageTokens;
  }

  public void setMaxMessageTokens(int maxMessageTokens) {
    this.maxMessageTokens = maxMessageTokens;
  }

  public DataSize getFragmentSize() {
    return fragmentSize;
  }

  public void setFragmentSize(DataSize fragmentSize) {
    this.fragmentSize = fragmentSize;
  }

  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public Duration getHandshakeTimeout() {
    return handshakeTimeout;
  }

  public void setHandshakeTimeout(Duration handshakeTimeout) {
    this.handshakeTimeout = handshakeTimeout;
  }

  public void setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
  }

  public Duration getHeartbeatTimeout() {
    return heartbeatTimeout;
  }

  public void setHeartbeatTimeout(Duration heartbeatTimeout) {
    this.heartbeatTimeout = heartbeatTimeout;
  }

  public DataSize getSocketBufferSize() {
    return socketBufferSize;
  }

  public void setSocketBufferSize(DataSize socketBufferSize) {
    this.socketBufferSize = socketBufferSize;
  }

  public DataSize getFragmentWindow() {
    return fragmentWindow;
  }

  public void setFragmentWindow(DataSize fragmentWindow) {
    this.fragmentWindow = fragmentWindow;
  }

  public DataSize getMaxInboundBytes() {
    return maxInboundBytes;
  }

  public void setMaxInboundBytes(DataSize maxInboundBytes) {
    this.maxInboundBytes = maxInboundBytes;
  }

  public DataSize getMaxQueuedOutboundBytes() {
    return maxQueuedOutboundBytes;
  }

  public void setMaxQueuedOutboundBytes(DataSize maxQueuedOutboundBytes) {
    this.maxQueuedOutboundBytes = maxQueuedOutboundBytes;
  }

  public Duration getUnwritableTimeout() {
    return unwritableTimeout;
  }

  public void setUnwritableTimeout(Duration unwritableTimeout) {
    this.unwritableTimeout = unwritableTimeout;
  }

  public int getIoThreads() {
    return ioThreads;
  }

  public void setIoThreads(int ioThreads) {
    this.ioThreads = ioThreads;
  }

  /** Identity of this node. */
  public static class Node {

    /**
     * Name of this node, shared by every process of the same role (for example "game"): 1 to 255 ASCII letters,
     * digits, '_', '-' and '.'. Required.
     */
    private String name;

    /** Id of this node, unique among the nodes of the same name; not negative. */
    private int id = 1;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public int getId() {
      return id;
    }

    public void setId(int id) {
      this.id = id;
    }
  }

  /** The listener that serves this node's modules. */
  public static class Server {

    /** Whether this node listens for calls; a pure caller sets false. */
    private boolean enabled = FrpcNode.DEFAULT_SERVE;

    /**
     * What this node's connections travel on: tcp (sockets, listening on host:port), or in-jvm (Netty local
     * channels within this JVM, for tests: no port is opened, host and port are ignored, and only in-jvm nodes are
     * reached, named in static discovery as in-jvm).
     */
    private Transport transport = FrpcNode.DEFAULT_TRANSPORT;

    /** Interface to listen on. */
    private String host = FrpcNode.DEFAULT_HOST;

    /** TCP port to listen on; 0 picks a free port. */
    private int port = FrpcNode.DEFAULT_PORT;

    /**
     * Host other nodes should connect to, as registered in discovery; defaults to the listen host, or
     * this machine's address when listening on all interfaces.
     */
    private String advertisedHost;

    /** Former name of frpc.handshake-timeout, which also governs the handshakes this node opens. */
    private Duration handshakeTimeout;

    /** On shutdown, running and queued requests get this long to finish before connections close. */
    private Duration shutdownTimeout = FrpcNode.DEFAULT_SHUTDOWN_TIMEOUT;

    /** Whether error replies carry the remote stack trace. */
    private boolean includeStacktrace = FrpcNode.DEFAULT_INCLUDE_STACK_TRACE;

    /**
     * Whether served commands run with the caller node, module, command and trace id in the SLF4J MDC (keys
     * frpc.caller, frpc.module, frpc.command, traceId), for log patterns such as %X{frpc.caller}.
     */
    private boolean mdc = FrpcNode.DEFAULT_MDC;

    /** Messages queued or running per handler instance before callers get an "overloaded" error. */
    private int mailboxCapacity = FrpcNode.DEFAULT_MAILBOX_CAPACITY;

    /** TLS of the listener. */
    private final ServerSsl ssl = new ServerSsl();

    /**
     * Connections the listener keeps open at most; one more closes the oldest connection still in the
     * handshake, or is refused at once when every connection has completed it. Unset: 2048, or fewer where
     * the process's file-descriptor limit (ulimit -n) would not leave a quarter of it for outgoing connections,
     * Redis and files (768 under a limit of 1024).
     */
    private Integer maxConnections;

    /** Connections that may be in the handshake at once; one more closes the oldest of them. */
    private int maxHandshaking = FrpcNode.DEFAULT_MAX_HANDSHAKING;

    /**
     * Connections from one /24 (IPv4) or /64 (IPv6) network that may be in the handshake at once; one more
     * closes the network's oldest.
     */
    private int maxHandshakingPerNetwork = FrpcNode.DEFAULT_MAX_HANDSHAKING_PER_NETWORK;

    /** Connections from one remote address that may be in the handshake at once; one more closes its oldest. */
    private int maxHandshakingPerAddress = FrpcNode.DEFAULT_MAX_HANDSHAKING_PER_ADDRESS;

    /**
     * New connections accepted from one remote address per second, with a burst of as many; connections beyond
     * it are closed at once.
     */
    private int handshakeRatePerAddress = FrpcNode.DEFAULT_HANDSHAKE_RATE_PER_ADDRESS;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Transport getTransport() {
      return transport;
    }

    public void setTransport(Transport transport) {
      this.transport = transport;
    }

    public String getHost() {
      return host;
    }

    public void setHost(String host) {
      this.host = host;
    }

    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }

    public String getAdvertisedHost() {
      return advertisedHost;
    }

    public void setAdvertisedHost(String advertisedHost) {
      this.advertisedHost = advertisedHost;
    }

    @Deprecated(since = "0.1.0", forRemoval = true)
    @DeprecatedConfigurationProperty(replacement = "frpc.handshake-timeout",
        reason = "the timeout also governs the handshakes this node opens, not only the server's")
    public Duration getHandshakeTimeout() {
      return handshakeTimeout;
    }

    @Deprecated(since = "0.1.0", forRemoval = true)
    public void setHandshakeTimeout(Duration handshakeTimeout) {
      this.handshakeTimeout = handshakeTimeout;
    }

    public Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
    }

    public boolean isIncludeStacktrace() {
      return includeStacktrace;
    }

    public void setIncludeStacktrace(boolean includeStacktrace) {
      this.includeStacktrace = includeStacktrace;
    }

    public boolean isMdc() {
      return mdc;
    }

    public void setMdc(boolean mdc) {
      this.mdc = mdc;
    }

    public ServerSsl getSsl() {
      return ssl;
    }

    public Integer getMaxConnections() {
      return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
      this.maxConnections = maxConnections;
    }

    public int getMaxHandshaking() {
      return maxHandshaking;
    }

    public void setMaxHandshaking(int maxHandshaking) {
      this.maxHandshaking = maxHandshaking;
    }

    public int getMaxHandshakingPerNetwork() {
      return maxHandshakingPerNetwork;
    }

    public void setMaxHandshakingPerNetwork(int maxHandshakingPerNetwork) {
      this.maxHandshakingPerNetwork = maxHandshakingPerNetwork;
    }

    public int getMaxHandshakingPerAddress() {
      return maxHandshakingPerAddress;
    }

    public void setMaxHandshakingPerAddress(int maxHandshakingPerAddress) {
      this.maxHandshakingPerAddress = maxHandshakingPerAddress;
    }

    public int getHandshakeRatePerAddress() {
      return handshakeRatePerAddress;
    }

    public void setHandshakeRatePerAddress(int handshakeRatePerAddress) {
      this.handshakeRatePerAddress = handshakeRatePerAddress;
    }

    public int getMailboxCapacity() {
      return mailboxCapacity;
    }

    public void setMailboxCapacity(int mailboxCapacity) {
      this.mailboxCapacity = mailboxCapacity;
    }
  }

  /** TLS of the listener. */
  public static class ServerSsl {

    /** Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) the listener serves TLS with; unset: plain. */
    private String bundle;

    /** Whether the listener asks connecting nodes for a certificate: none, want or need (mutual TLS). */
    private TlsClientAuth clientAuth = TlsClientAuth.NONE;

    /**
     * Whether client certificates (client-auth want or need) may be verified against the JDK's public CAs when the
     * bundle has no trust store; otherwise such a bundle fails start-up.
     */
    private boolean trustPublicCas;

    public String getBundle() {
      return bundle;
    }

    public void setBundle(String bundle) {
      this.bundle = bundle;
    }

    public TlsClientAuth getClientAuth() {
      return clientAuth;
    }

    public void setClientAuth(TlsClientAuth clientAuth) {
      this.clientAuth = clientAuth;
    }

    public boolean isTrustPublicCas() {
      return trustPublicCas;
    }

    public void setTrustPublicCas(boolean trustPublicCas) {
      this.trustPublicCas = trustPublicCas;
    }
  }

  /** TLS of the connections this node makes. */
  public static class ClientSsl {

    /** Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) to call other nodes with over TLS; unset: plain. */
    private String bundle;

    /** Whether a called node's certificate must name the host this node connects to (the advertised host). */
    private boolean verifyHostname = true;

    /**
     * Whether called nodes' certificates may be verified against the JDK's public CAs when the bundle has no trust
     * store; otherwise such a bundle fails start-up.
     */
    private boolean trustPublicCas;

    public String getBundle() {
      return bundle;
    }

    public void setBundle(String bundle) {
      this.bundle = bundle;
    }

    public boolean isVerifyHostname() {
      return verifyHostname;
    }

    public void setVerifyHostname(boolean verifyHostname) {
      this.verifyHostname = verifyHostname;
    }

    public boolean isTrustPublicCas() {
      return trustPublicCas;
    }

    public void setTrustPublicCas(boolean trustPublicCas) {
      this.trustPublicCas = trustPublicCas;
    }
  }

  /** How this node calls others. */
  public static class Client {

    /** TLS of the connections this node makes. */
    private final ClientSsl ssl = new ClientSsl();

    /** How long a call or send waits for a matching node to be connected before failing. */
    private Duration connectWait = FrpcNode.DEFAULT_CONNECT_WAIT;

    /**
     * The timeout a call's deadline is set by, unless the call sets its own (timeout(...), @Timeout): the deadline
     * covers the wait for a node, every attempt and the reply, and calls made while serving a call get no more than
     * what is left of it.
     */
    private Duration callTimeout = FrpcNode.DEFAULT_CALL_TIMEOUT;

    /** Retries, failover and hedging of calls. */
    private final Retry retry = new Retry();

    /** Limit for one TCP connect attempt. */
    private Duration connectTimeout = FrpcNode.DEFAULT_CONNECT_TIMEOUT;

    /** Delay before reconnecting to a node after a failed attempt or a lost connection. */
    private Duration reconnectInitialBackoff = FrpcNode.DEFAULT_RECONNECT_INITIAL_BACKOFF;

    /**
     * The reconnect delay doubles per failed attempt up to this; with its jitter, a node that restarts is
     * back in callers' views within about a second.
     */
    private Duration reconnectMaxBackoff = FrpcNode.DEFAULT_RECONNECT_MAX_BACKOFF;

    /**
     * Whether callAsync futures complete, and run their continuations, on the I/O thread that read the reply
     * instead of an frpc-callback thread: one thread hand-off less per call, for callers whose continuations
     * never block (a blocking frpc call made there fails at once).
     */
    private boolean directCompletion = FrpcNode.DEFAULT_DIRECT_COMPLETION;

    /**
     * How a call to a node name without a node id or mod key picks a connected node: least-loaded (the less
     * loaded of two drawn at random, by calls waiting for a reply and the average round trip of recent calls, so a
     * slow or overloaded node gets fewer calls) or round-robin (each in turn).
     */
    private LoadBalancing loadBalancing = FrpcNode.DEFAULT_LOAD_BALANCING;

    public ClientSsl getSsl() {
      return ssl;
    }

    public Retry getRetry() {
      return retry;
    }

    public boolean isDirectCompletion() {
      return directCompletion;
    }

    public void setDirectCompletion(boolean directCompletion) {
      this.directCompletion = directCompletion;
    }

    public Duration getConnectWait() {
      return connectWait;
    }

    public void setConnectWait(Duration connectWait) {
      this.connectWait = connectWait;
    }

    public Duration getCallTimeout() {
      return callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
    }

    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    public Duration getReconnectInitialBackoff() {
      return reconnectInitialBackoff;
    }

    public void setReconnectInitialBackoff(Duration reconnectInitialBackoff) {
      this.reconnectInitialBackoff = reconnectInitialBackoff;
    }

    public Duration getReconnectMaxBackoff() {
      return reconnectMaxBackoff;
    }

    public void setReconnectMaxBackoff(Duration reconnectMaxBackoff) {
      this.reconnectMaxBackoff = reconnectMaxBackoff;
    }

    public LoadBalancing getLoadBalancing() {
      return loadBalancing;
    }

    public void setLoadBalancing(LoadBalancing loadBalancing) {
      this.loadBalancing = loadBalancing;
    }
  }

  /** Retries, failover and hedging of calls to one node. */
  public static class Retry {

    /**
     * Most attempts of one call, the first included: a call that provably did not run goes to another node, an
     * idempotent one that may have run is retried. 1 turns retries, failover and hedging off.
     */
    private int maxAttempts = FrpcNode.DEFAULT_RETRY_MAX_ATTEMPTS;

    /** The wait before a call is retried on the node it failed on, doubling per attempt; failover does not wait. */
    private Duration backoff = FrpcNode.DEFAULT_RETRY_BACKOFF;

    /** Retries and hedges allowed per call made, so that a failing cluster is not hit several times as hard. */
    private double budgetRatio = FrpcNode.DEFAULT_RETRY_BUDGET_RATIO;

    /** Retries allowed per second however few calls are made. */
    private int budgetMinPerSecond = FrpcNode.DEFAULT_RETRY_BUDGET_MIN_PER_SECOND;

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getBackoff() {
      return backoff;
    }

    public void setBackoff(Duration backoff) {
      this.backoff = backoff;
    }

    public double getBudgetRatio() {
      return budgetRatio;
    }

    public void setBudgetRatio(double budgetRatio) {
      this.budgetRatio = budgetRatio;
    }

    public int getBudgetMinPerSecond() {
      return budgetMinPerSecond;
    }

    public void setBudgetMinPerSecond(int budgetMinPerSecond) {
      this.budgetMinPerSecond = budgetMinPerSecond;
    }
  }

  /** Authentication between nodes. */
  public static class Security {

    /**
     * Shared secret of the cluster, at least 16 bytes: every connection runs a mutual HMAC-SHA256
     * challenge-response with it and refuses peers that do not know it. It never crosses the wire and is
     * never logged or written to Redis. Unset: connections are not authenticated.
     */
    private String secret;

    /** Further secrets accepted from peers while a cluster rotates its secret (see docs/security.md). */
    private List<String> acceptedSecrets = new ArrayList<>();

    /** Secrets to use towards nodes of a name whose cluster has a secret of its own, by node name. */
    private Map<String, String> nodeSecrets = new LinkedHashMap<>();

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }

    public List<String> getAcceptedSecrets() {
      return acceptedSecrets;
    }

    public void setAcceptedSecrets(List<String> acceptedSecrets) {
      this.acceptedSecrets = acceptedSecrets;
    }

    public Map<String, String> getNodeSecrets() {
      return nodeSecrets;
    }

    public void setNodeSecrets(Map<String, String> nodeSecrets) {
      this.nodeSecrets = nodeSecrets;
    }
  }

  /** The frpc health contributor. */
  public static class Health {

    /**
     * Node names that must each have at least one connected node for this node to be healthy; the
     * health contributor is DOWN, naming them, while one has none.
     */
    private List<String> requiredNodes = new ArrayList<>();

    public List<String> getRequiredNodes() {
      return requiredNodes;
    }

    public void setRequiredNodes(List<String> requiredNodes) {
      this.requiredNodes = requiredNodes;
    }
  }

  /** Pub/sub between nodes. */
  public static class PubSub {

    /**
     * Subscriptions one connection may hold: a publishing node refuses more from one peer, and this node
     * makes no more on one node (a subscription to a pattern counts once, whatever it matches).
     */
    private int maxSubscriptionsPerConnection = FrpcNode.DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;

    /**
     * Messages one subscription may queue for a listener that is behind; later ones are dropped and the
     * listener is told of the gap with the next message it receives.
     */
    private int subscriberBacklog = FrpcNode.DEFAULT_SUBSCRIBER_BACKLOG;

    /**
     * Bytes that may wait to be written to one subscribing connection before publications to it are
     * dropped (and reported to that subscriber as a gap); state channels send their latest value once it
     * drains. On the subscribing side, the bytes of messages one subscription may queue for a listener that
     * is behind. At least 1MB and below frpc.max-queued-outbound-bytes. Unset: a quarter of
     * frpc.max-queued-outbound-bytes, at least 1MB (16MB by default).
     */
    private DataSize maxQueuedBytes;

    public DataSize getMaxQueuedBytes() {
      return maxQueuedBytes;
    }

    public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
      this.maxQueuedBytes = maxQueuedBytes;
    }

    public int getMaxSubscriptionsPerConnection() {
      return maxSubscriptionsPerConnection;
    }

    public void setMaxSubscriptionsPerConnection(int maxSubscriptionsPerConnection) {
      this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
    }

    public int getSubscriberBacklog() {
      return subscriberBacklog;
    }

    public void setSubscriberBacklog(int subscriberBacklog) {
      this.subscriberBacklog = subscriberBacklog;
    }
  }

  /** How this node finds the nodes it calls. */
  public static class Discovery {

    /** Where node addresses come from. */
    private DiscoveryType type = DiscoveryType.STATIC;

    private final Static staticNodes = new Static();

    private final Redis redis = new Redis();

    public DiscoveryType getType() {
      return type;
    }

    public void setType(DiscoveryType type) {
      this.type = type;
    }

    public Static getStatic() {
      return staticNodes;
    }

    public Redis getRedis() {
      return redis;
    }
  }

  /** Sources of node addresses. */
  public enum DiscoveryType {
    /** A fixed list in frpc.discovery.static.nodes. */
    STATIC,
    /** Registration and keyspace notifications in Redis (spring.data.redis.*). */
    REDIS
  }

  /** A fixed list of nodes. */
  public static class Static {

    /**
     * Addresses by node name and id, e.g. frpc.discovery.static.nodes.cluster_server.1=127.0.0.1:9688, or in-jvm
     * for a node on the in-JVM transport (frpc.server.transport=in-jvm) of this JVM.
     */
    private Map<String, Map<Integer, String>> nodes = new LinkedHashMap<>();

    public Map<String, Map<Integer, String>> getNodes() {
      return nodes;
    }

    public void setNodes(Map<String, Map<Integer, String>> nodes) {
      this.nodes = nodes;
    }
  }

  /**
   * Discovery through Redis: each node registers a key with a short TTL; watchers follow keyspace notifications.
   * The defaults are those of {@link io.frpc.discovery.redis.RedisDiscoverySettings}.
   */
  public static class Redis {

    /** First segment of every registration key: keys are {prefix}:rpc:{name}:{id}. */
    private String keyPrefix = io.frpc.discovery.redis.RedisDiscoverySettings.DEFAULT_KEY_PREFIX;

    /** Time to live of a registration; a node that stops refreshing it leaves every view after this. */
    private Duration ttl = io.frpc.discovery.redis.RedisDiscoverySettings.DEFAULT_TTL;

    /** How often a node refreshes its registration; must be shorter than the ttl. */
    private Duration refreshInterval = io.frpc.discovery.redis.RedisDiscoverySettings.DEFAULT_REFRESH_INTERVAL;

    /** Node names this node calls and therefore watches. */
    private List<String> watch = new ArrayList<>();

    /** Whether to add the flags discovery needs (K, g, $, x) to Redis's notify-keyspace-events. */
    private boolean configureKeyspaceEvents =
        io.frpc.discovery.redis.RedisDiscoverySettings.DEFAULT_CONFIGURE_KEYSPACE_EVENTS;

    /** How often watchers list the registrations (SCAN) to heal notifications lost in transit. */
    private Duration resyncInterval = io.frpc.discovery.redis.RedisDiscoverySettings.DEFAULT_RESYNC_INTERVAL;

    /** Whether this node registers itself (when its server is enabled). */
    private boolean register = io.frpc.discovery.redis.RedisDiscoverySettings.DEFAULT_REGISTER;

    /**
     * Registrations a watcher follows per watched name at most; keys past it are neither read nor connected to,
     * and health shows the name as capped. Defaults to {@code 1024}.
     */
    private int maxNodesPerName = io.frpc.discovery.redis.RedisDiscoverySettings.DEFAULT_MAX_NODES_PER_NAME;

    public String getKeyPrefix() {
      return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    public Duration getTtl() {
      return ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    public Duration getRefreshInterval() {
      return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
    }

    public List<String> getWatch() {
      return watch;
    }

    public void setWatch(List<String> watch) {
      this.watch = watch;
    }

    public boolean isConfigureKeyspaceEvents() {
      return configureKeyspaceEvents;
    }

    public void setConfigureKeyspaceEvents(boolean configureKeyspaceEvents) {
      this.configureKeyspaceEvents = configureKeyspaceEvents;
    }

    public Duration getResyncInterval() {
      return resyncInterval;
    }

    public void setResyncInterval(Duration resyncInterval) {
      this.resyncInterval = resyncInterval;
    }

    public boolean isRegister() {
      return register;
    }

    public void setRegister(boolean register) {
      this.register = register;
    }

    public int getMaxNodesPerName() {
      return maxNodesPerName;
    }

    public void setMaxNodesPerName(int maxNodesPerName) {
      this.maxNodesPerName = maxNodesPerName;
    }
  }
}

package io.frpc.spring.autoconfigure;

import io.frpc.skynet.client.SkynetNodes;
import io.frpc.skynet.server.SkynetServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code frpc.skynet.*}: speaking skynet_fly's own frpc next to frpc's, with the {@code frpc-skynet} module on the
 * class path (docs/skynet.md).
 */
@ConfigurationProperties("frpc.skynet")
public class FrpcSkynetProperties {

  private final Server server = new Server();

  private final Client client = new Client();

  public Server getServer() {
    return server;
  }

  public Client getClient() {
    return client;
  }

  /** {@code frpc.skynet.client.*}: calling skynet_fly nodes' modules from this node (a SkynetTemplate bean). */
  public static class Client {

    /** Whether to connect to the skynet_fly nodes of frpc.skynet.client.nodes and offer a SkynetTemplate. */
    private boolean enabled;

    /** svr_name this node presents to skynet_fly nodes; frpc.node.name when not set. */
    private String svrName;

    /** svr_id this node presents to skynet_fly nodes; frpc.node.id when not set. */
    private Integer svrId;

    /**
     * The skynet_fly nodes to connect to, by svr_name, as frpc_client_m's node_map lists them: each with its svr_id,
     * its frpc port as host:port, and its secret_key and is_encrypt.
     */
    private Map<String, List<Node>> nodes = new LinkedHashMap<>();

    /** How long a call waits for an active node of the name before failing. */
    private Duration connectWait = SkynetNodes.DEFAULT_CONNECT_WAIT;

    /** The delay before reconnecting to a node, varied by up to 20%. */
    private Duration reconnectDelay = SkynetNodes.DEFAULT_RECONNECT_DELAY;

    /** How long skynet_fly's handshake may take. */
    private Duration handshakeTimeout = SkynetNodes.DEFAULT_HANDSHAKE_TIMEOUT;

    /** Calls waiting for their reply at most, per node. */
    private int maxPendingCalls = SkynetNodes.DEFAULT_MAX_PENDING_CALLS;

    /** The largest reply accepted, in bytes. */
    private int maxMessageSize = SkynetNodes.DEFAULT_MAX_MESSAGE_SIZE;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getSvrName() {
      return svrName;
    }

    public void setSvrName(String svrName) {
      this.svrName = svrName;
    }

    public Integer getSvrId() {
      return svrId;
    }

    public void setSvrId(Integer svrId) {
      this.svrId = svrId;
    }

    public Map<String, List<Node>> getNodes() {
      return nodes;
    }

    public void setNodes(Map<String, List<Node>> nodes) {
      this.nodes = nodes;
    }

    public Duration getConnectWait() {
      return connectWait;
    }

    public void setConnectWait(Duration connectWait) {
      this.connectWait = connectWait;
    }

    public Duration getReconnectDelay() {
      return reconnectDelay;
    }

    public void setReconnectDelay(Duration reconnectDelay) {
      this.reconnectDelay = reconnectDelay;
    }

    public Duration getHandshakeTimeout() {
      return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
      this.handshakeTimeout = handshakeTimeout;
    }

    public int getMaxPendingCalls() {
      return maxPendingCalls;
    }

    public void setMaxPendingCalls(int maxPendingCalls) {
      this.maxPendingCalls = maxPendingCalls;
    }

    public int getMaxMessageSize() {
      return maxMessageSize;
    }

    public void setMaxMessageSize(int maxMessageSize) {
      this.maxMessageSize = maxMessageSize;
    }
  }

  /** One skynet_fly node of {@code frpc.skynet.client.nodes}: an entry of frpc_client_m's node_map. */
  public static class Node {

    /** The node's svr_id. */
    private int id;

    /** The node's frpc port as host:port (its frpc_server.gateconf address and port). */
    private String host;

    /** The node's secret_key, when it has one. */
    private String secretKey;

    /** Whether the node has is_encrypt. */
    private boolean encrypt;

    public int getId() {
      return id;
    }

    public void setId(int id) {
      this.id = id;
    }

    public String getHost() {
      return host;
    }

    public void setHost(String host) {
      this.host = host;
    }

    public String getSecretKey() {
      return secretKey;
    }

    public void setSecretKey(String secretKey) {
      this.secretKey = secretKey;
    }

    public boolean isEncrypt() {
      return encrypt;
    }

    public void setEncrypt(boolean encrypt) {
      this.encrypt = encrypt;
    }
  }

  /** {@code frpc.skynet.server.*}: serving this node's modules to skynet_fly callers on a port of their own. */
  public static class Server {

    /** Whether to serve this node's modules to skynet_fly callers (frpc_client of a skynet_fly node). */
    private boolean enabled;

    /** Interface the skynet_fly listener binds to. */
    private String host = SkynetServer.DEFAULT_HOST;

    /** Port of the skynet_fly listener (its node_map entry's host on the skynet_fly side); 0 picks a free one. */
    private int port = SkynetServer.DEFAULT_PORT;

    /** svr_name skynet_fly callers know this node by; frpc.node.name when not set. */
    private String svrName;

    /** svr_id skynet_fly callers know this node by; frpc.node.id when not set. */
    private Integer svrId;

    /**
     * skynet_fly's secret_key: callers must present it (their node_map entry's secret_key). Weak protection: keep
     * skynet links on a private network.
     */
    private String secretKey;

    /** skynet_fly's is_encrypt: payloads DES-encrypted under a key from the handshake (callers must set it too). */
    private boolean encrypt;

    /** Skynet service names callers may use with send_by_alias/call_by_alias, each to the module it reaches. */
    private Map<String, String> aliases = new LinkedHashMap<>();

    /** How long a connection may take to finish skynet_fly's handshake. */
    private Duration handshakeTimeout = SkynetServer.DEFAULT_HANDSHAKE_TIMEOUT;

    /** skynet_fly connections served at most at once. */
    private int maxConnections = SkynetServer.DEFAULT_MAX_CONNECTIONS;

    /** The largest request accepted from a skynet_fly caller, in bytes. */
    private int maxMessageSize = SkynetServer.DEFAULT_MAX_MESSAGE_SIZE;

    /**
     * Where to register this node for skynet_fly nodes that find servers through Redis (their frpc_client_m's
     * {@code watch = "redis"}): {@code redis} writes skynet_fly's key {@code skynet_fly:rpc:<svr_name>:<svr_id>} every
     * second with a 10 s TTL, through the application's Spring Data Redis connection (database 0, as skynet_fly's
     * watchers listen there). The secret key is stored in clear in that value, as skynet_fly stores it.
     */
    private String register;

    /** The host skynet_fly nodes reach this listener at, written into the registration; derived from host if unset. */
    private String advertisedHost;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
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

    public String getSvrName() {
      return svrName;
    }

    public void setSvrName(String svrName) {
      this.svrName = svrName;
    }

    public Integer getSvrId() {
      return svrId;
    }

    public void setSvrId(Integer svrId) {
      this.svrId = svrId;
    }

    public String getSecretKey() {
      return secretKey;
    }

    public void setSecretKey(String secretKey) {
      this.secretKey = secretKey;
    }

    public boolean isEncrypt() {
      return encrypt;
    }

    public void setEncrypt(boolean encrypt) {
      this.encrypt = encrypt;
    }

    public Map<String, String> getAliases() {
      return aliases;
    }

    public void setAliases(Map<String, String> aliases) {
      this.aliases = aliases;
    }

    public Duration getHandshakeTimeout() {
      return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
      this.handshakeTimeout = handshakeTimeout;
    }

    public int getMaxConnections() {
      return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
    }

    public int getMaxMessageSize() {
      return maxMessageSize;
    }

    public void setMaxMessageSize(int maxMessageSize) {
      this.maxMessageSize = maxMessageSize;
    }

    public String getRegister() {
      return register;
    }

    public void setRegister(String register) {
      this.register = register;
    }

    public String getAdvertisedHost() {
      return advertisedHost;
    }

    public void setAdvertisedHost(String advertisedHost) {
      this.advertisedHost = advertisedHost;
    }
  }
}

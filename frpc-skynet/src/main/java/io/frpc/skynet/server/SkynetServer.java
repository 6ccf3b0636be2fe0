package io.frpc.skynet.server;

import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.skynet.internal.server.LuaServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A listener that serves a node's modules to skynet_fly callers, on a port of its own next to the node's frpc
 * listener: a skynet_fly node lists it in its {@code frpc_client_m} {@code node_map} (or finds it in Redis) and calls
 * it with {@code frpc_client} as it calls a Lua node. Requests run through {@link FrpcNode#bridge()}, so a
 * module serves Lua and frpc callers alike, in the same mailboxes. Start it after the node; close it before.
 */
public final class SkynetServer implements AutoCloseable {

  /** Where a skynet server listens by default: every interface. */
  public static final String DEFAULT_HOST = "0.0.0.0";
  /** The port a skynet server listens on by default. */
  public static final int DEFAULT_PORT = 9689;
  /** How long a connection may take to finish skynet_fly's handshake (skynet_fly's own server waits 10 s). */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  /** Connections served at most at once (skynet_fly's gate defaults to 2048). */
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  /** The largest request accepted, reassembled from its parts. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

  private final LuaServer server;

  private SkynetServer(LuaServer server) {
    this.server = server;
  }

  /** Starts building a skynet server for {@code node}'s modules. */
  public static Builder builder(FrpcNode node) {
    return new Builder(node);
  }

  /** Starts listening. */
  public void start() {
    server.start();
  }

  /** The address it listens on (the port chosen when 0 was asked), or {@code null} before {@link #start()}. */
  public InetSocketAddress address() {
    return server.address();
  }

  /** Stops listening and closes every connection; requests still running are cancelled. */
  @Override
  public void close() {
    server.close();
  }

  /** Settings of a {@link SkynetServer}. */
  public static final class Builder {
    private final FrpcNode node;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private NodeId identity;
    private String secretKey;
    private boolean encrypt;
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

    private Builder(FrpcNode node) {
      this.node = Objects.requireNonNull(node, "node");
    }

    /** Where to listen; port 0 picks a free one. */
    public Builder listen(String host, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535: " + port);
      }
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /**
     * The {@code svr_name} and {@code svr_id} skynet_fly callers know this node by (their error texts and
     * {@code cluster_name} show it); the node's own name and id by default.
     */
    public Builder identity(String svrName, int svrId) {
      this.identity = new NodeId(svrName, svrId);
      return this;
    }

    /**
     * skynet_fly's {@code secret_key} and {@code is_encrypt}, which callers must have alike in their {@code node_map}
     * entry for this node: with either, the handshake runs skynet_fly's Diffie-Hellman challenge; with a secret key,
     * callers must present it; with encryption, payloads are DES-encrypted. This is weak protection (64-bit keys,
     * single DES): keep skynet links on a private network (docs/security.md).
     *
     * @param secretKey the secret, or {@code null} for none
     */
    public Builder security(String secretKey, boolean encrypt) {
      if (secretKey != null && secretKey.isEmpty()) {
        throw new IllegalArgumentException("the secret key must not be empty: use null for none");
      }
      this.secretKey = secretKey;
      this.encrypt = encrypt;
      return this;
    }

    /**
     * Lets skynet_fly callers reach {@code module} with {@code send_by_alias}/{@code call_by_alias} under
     * {@code alias} (in skynet_fly, the name of a skynet service, such as {@code .room_1}); a balanced request.
     */
    public Builder alias(String alias, String module) {
      aliases.put(Objects.requireNonNull(alias, "alias"), Objects.requireNonNull(module, "module"));
      return this;
    }

    /** How long a connection may take to finish the handshake before it is closed. */
    public Builder handshakeTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
      }
      this.handshakeTimeout = timeout;
      return this;
    }

    /** Connections served at most at once; further ones are closed as they arrive. */
    public Builder maxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("max connections must be at least 1: " + max);
      }
      this.maxConnections = max;
      return this;
    }

    /** The largest request accepted (its parts reassembled); a larger one closes its connection. */
    public Builder maxMessageSize(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("max message size must be at least 1024 bytes: " + bytes);
      }
      this.maxMessageSize = bytes;
      return this;
    }

    public SkynetServer build() {
      return new SkynetServer(new LuaServer(node.bridge(), identity != null ? identity : node.id(), host, port,
          secretKey, encrypt, Map.copyOf(aliases), handshakeTimeout, maxConnections, maxMessageSize));
    }
  }
}

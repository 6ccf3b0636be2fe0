package io.frpc.skynet.client;

import java.util.Objects;

/**
 * A skynet_fly node to connect to, as an entry of {@code frpc_client_m}'s {@code node_map}: its svr_name and
 * svr_id, the address of its frpc server port, and its security settings (which must match the node's
 * {@code frpc_server} configuration).
 *
 * @param svrName the node's svr_name
 * @param svrId the node's svr_id
 * @param host the host of its frpc port ({@code frpc_server.gateconf.address})
 * @param port the port ({@code frpc_server.gateconf.port})
 * @param secretKey the node's {@code secret_key}, or {@code null} when it has none
 * @param encrypt whether the node has {@code is_encrypt} (payloads DES-encrypted with the handshake's key)
 */
public record SkynetRemoteNode(String svrName, int svrId, String host, int port, String secretKey,
    boolean encrypt) {

  /** Checks the names and the port. */
  public SkynetRemoteNode {
    Objects.requireNonNull(svrName, "svrName");
    Objects.requireNonNull(host, "host");
    if (svrName.isBlank()) {
      throw new IllegalArgumentException("svrName must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port of skynet node " + svrName + ":" + svrId + " must be 1..65535, was "
          + port);
    }
  }

  /**
   * A node without secret or encryption at {@code hostAndPort}, skynet_fly's {@code "host:port"} form.
   *
   * @throws IllegalArgumentException when {@code hostAndPort} has no {@code :port}
   */
  public static SkynetRemoteNode of(String svrName, int svrId, String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("the address of skynet node " + svrName + ":" + svrId + " must be"
          + " host:port, was '" + hostAndPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostAndPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the port of skynet node " + svrName + ":" + svrId + " is not a number: '"
          + hostAndPort + "'");
    }
    return new SkynetRemoteNode(svrName, svrId, hostAndPort.substring(0, colon), port, null, false);
  }

  /** This node with the node's {@code secret_key}. */
  public SkynetRemoteNode withSecretKey(String key) {
    return new SkynetRemoteNode(svrName, svrId, host, port, Objects.requireNonNull(key, "key"), encrypt);
  }

  /** This node with {@code is_encrypt}. */
  public SkynetRemoteNode withEncryption() {
    return new SkynetRemoteNode(svrName, svrId, host, port, secretKey, true);
  }

  /** {@code svrName:svrId@host:port}. */
  @Override
  public String toString() {
    return svrName + ":" + svrId + "@" + host + ":" + port + (secretKey == null ? "" : " (secret)")
        + (encrypt ? " (encrypted)" : "");
  }
}

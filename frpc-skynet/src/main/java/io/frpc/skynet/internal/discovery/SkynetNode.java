package io.frpc.skynet.internal.discovery;

import io.frpc.skynet.internal.handshake.SkynetSecurity;
import java.util.Objects;

/**
 * A skynet_fly node as its Redis registration announces it: its identity, where its frpc server listens and how
 * a client must secure the connection (pass {@link #security()} to the client handshake).
 *
 * @param svrName the node's {@code svr_name}
 * @param svrId the node's {@code svr_id}
 * @param host the host of its frpc server (skynet_fly's {@code frpc_server.host} before the last {@code ':'})
 * @param port the port of its frpc server
 * @param security its {@code secret_key} (read from Redis, where skynet_fly stores it in clear) and
 *     {@code is_encrypt}
 */
public record SkynetNode(String svrName, long svrId, String host, int port, SkynetSecurity security) {

  /** Checks that every part is present and the port is one. */
  public SkynetNode {
    Objects.requireNonNull(svrName, "svrName");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(security, "security");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
    }
  }

  /** skynet_fly's name of the node: {@code svr_name:svr_id}. */
  public String clusterName() {
    return svrName + ":" + svrId;
  }
}

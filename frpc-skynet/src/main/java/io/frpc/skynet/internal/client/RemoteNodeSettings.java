package io.frpc.skynet.internal.client;

import io.frpc.NodeId;
import java.util.Objects;

/**
 * One node of the static node map: its identity, address and security settings, as an entry of skynet_fly's
 * {@code frpc_client_m} {@code node_map}.
 *
 * @param id the node's svr_name and svr_id
 * @param host the host of its frpc server port
 * @param port the port
 * @param secretKey the shared secret, or {@code null} for none
 * @param encrypt whether payloads are DES-encrypted ({@code is_encrypt})
 */
public record RemoteNodeSettings(NodeId id, String host, int port, String secretKey, boolean encrypt) {

  /** Checks the address. */
  public RemoteNodeSettings {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port of skynet node " + id + " must be 1..65535, was " + port);
    }
  }
}

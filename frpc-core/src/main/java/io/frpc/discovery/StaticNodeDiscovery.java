package io.frpc.discovery;

import io.frpc.NodeId;
import java.util.Map;
import java.util.TreeMap;

/** Reports a fixed list of nodes once; the client keeps retrying those that are down. */
public final class StaticNodeDiscovery implements NodeDiscovery {

  private final Map<NodeId, HostPort> nodes;

  /** @param nodes address of every node */
  public StaticNodeDiscovery(Map<NodeId, HostPort> nodes) {
    this.nodes = new TreeMap<>(nodes);
  }

  @Override
  public void start(DiscoveredNodes sink) {
    nodes.forEach((id, address) -> sink.nodeAvailable(id, address.host(), address.port()));
  }

  @Override
  public DiscoveryHealth health() {
    return new DiscoveryHealth(true, Map.of("type", "static", "nodes", nodes.size()));
  }

  @Override
  public void close() {
  }

  /**
   * A {@code host:port} pair.
   *
   * @param host host name or address
   * @param port TCP port
   */
  public record HostPort(String host, int port) {

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException naming {@code what} when the text is not {@code host:port}
     */
    public static HostPort parse(String text, String what) {
      int colon = text == null ? -1 : text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new IllegalArgumentException(what + " must be host:port but was '" + text + "'");
      }
      String host = text.substring(0, colon).trim();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(what + " has no valid port: '" + text + "'");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(what + " has port " + port + " outside 1..65535");
      }
      return new HostPort(host, port);
    }
  }
}

package io.frpc.discovery;

import io.frpc.NodeId;
import io.frpc.Transport;
import io.frpc.internal.Names;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reports a fixed list of nodes once; the node keeps retrying those that are down. */
public final class StaticNodeDiscovery implements NodeDiscovery {

  private final Map<NodeId, HostPort> nodes;
  private final Set<String> names = new TreeSet<>();

  /**
   * @param nodes address of every node
   * @throws io.frpc.FrpcConfigurationException when a node's name or id breaks the rule of node names and ids
   */
  public StaticNodeDiscovery(Map<NodeId, HostPort> nodes) {
    nodes.keySet().forEach(id -> {
      Names.checkNodeName(id.name(), "frpc.discovery.static.nodes");
      Names.checkNodeId(id.id(), "frpc.discovery.static.nodes." + id.name());
    });
    this.nodes = new TreeMap<>(nodes);
    this.nodes.keySet().forEach(id -> names.add(id.name()));
  }

  @Override
  public void start(DiscoveryContext context) {
    nodes.forEach((id, address) -> context.nodeAvailable(id, address.host(), address.port()));
  }

  @Override
  public String explainUnknownName(String nodeName) {
    if (names.contains(nodeName)) {
      return null;
    }
    return "frpc.discovery.static.nodes lists no node of that name (it lists " + (names.isEmpty() ? "none"
        : String.join(", ", names)) + ")" + Names.didYouMean(nodeName, names)
        + "; add frpc.discovery.static.nodes." + nodeName + ".<id>=host:port";
  }

  @Override
  public Set<String> nodeNames() {
    return Set.copyOf(names);
  }

  @Override
  public DiscoveryHealth health() {
    return new DiscoveryHealth(true, Map.of("type", "static", "nodes", nodes.size()));
  }

  @Override
  public void close() {
  }

  /**
   * A {@code host:port} pair; a node on the {@link io.frpc.Transport#IN_JVM in-JVM transport} is host
   * {@value io.frpc.Transport#IN_JVM_HOST} with port 0.
   *
   * @param host host name or address
   * @param port TCP port, or 0 for an in-JVM node
   */
  public record HostPort(String host, int port) {

    /**
     * Parses {@code host:port}, or {@value io.frpc.Transport#IN_JVM_HOST} (optionally with port 0) for an in-JVM
     * node.
     *
     * @throws IllegalArgumentException naming {@code what} when the text is neither
     */
    public static HostPort parse(String text, String what) {
      if (text != null && text.trim().equals(Transport.IN_JVM_HOST)) {
        return new HostPort(Transport.IN_JVM_HOST, 0);
      }
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
      if (host.equals(Transport.IN_JVM_HOST)) {
        if (port != 0) {
          throw new IllegalArgumentException(what + " names an in-JVM node, which has no port, but gives port " + port
              + ": write " + Transport.IN_JVM_HOST);
        }
        return new HostPort(host, 0);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(what + " has port " + port + " outside 1..65535");
      }
      return new HostPort(host, port);
    }
  }
}

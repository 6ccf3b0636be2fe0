package io.frpc;

/**
 * The call names a node that discovery can never report: it is not in the static node list, or not
 * watched in Redis. It fails at once instead of waiting {@code frpc.client.connect-wait}; the message
 * names the property to set and, for a likely typo, the name that was probably meant.
 */
public class UnknownNodeNameException extends NoNodeConnectedException {

  public UnknownNodeNameException(String nodeName, Integer nodeId, String explanation) {
    super(nodeName, nodeId, "node name '" + nodeName + "' is unknown: " + explanation);
  }
}

package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.status.NodeStatus;
import io.frpc.status.RemoteNodeStatus;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The Actuator endpoint {@code frpc} ({@code /actuator/frpc}, and over JMX): this node, every node it knows
 * with its connection state, the modules it serves and its subscriptions ({@link NodeStatus});
 * {@code /actuator/frpc/{name}} lists the known nodes of one name. Read-only; no secrets in it.
 */
@Endpoint(id = "frpc")
public class FrpcEndpoint {

  private final FrpcNode node;

  public FrpcEndpoint(FrpcNode node) {
    this.node = node;
  }

  /** The whole snapshot. */
  @ReadOperation
  public NodeStatus frpc() {
    return node.status();
  }

  /** The known nodes named {@code name}, in id order; none known answers 404. */
  @ReadOperation
  public List<RemoteNodeStatus> nodes(@Selector String name) {
    List<RemoteNodeStatus> named = node.status().nodes().stream().filter(n -> n.id().name().equals(name)).toList();
    return named.isEmpty() ? null : named;
  }
}

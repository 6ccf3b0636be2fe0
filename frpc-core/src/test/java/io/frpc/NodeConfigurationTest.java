package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.status.ModuleStatus;
import io.frpc.status.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node takes its settings from its builder once, in {@code build()}. */
class NodeConfigurationTest {

  /** Handler of the modules below. */
  public static final class Service {
    public String ping() {
      return "pong";
    }
  }

  private final List<FrpcNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(FrpcNode::close);
  }

  @Test
  void aBuilderChangedAfterBuildDoesNotChangeTheNode() {
    FrpcNode.Builder builder = FrpcNode.builder("game", 1).listen("127.0.0.1", 0).ioThreads(1)
        .advertisedHost("game-1.example").handler(HandlerDefinition.of("svc", null, 1, self -> new Service()));
    FrpcNode node = builder.build();
    nodes.add(node);

    builder.serve(false).advertisedHost("changed.example").mailboxCapacity(0)
        .handler(HandlerDefinition.of("added", null, 1, self -> new Service()));
    node.start();

    NodeStatus status = node.status();
    assertThat(node.serves()).isTrue();
    assertThat(node.isListening()).isTrue();
    assertThat(status.advertisedAddress()).isEqualTo("game-1.example:" + node.listenAddress().getPort());
    assertThat(status.modules()).extracting(ModuleStatus::module).containsExactly("svc");
  }

  @Test
  void aBuilderCanBeBuiltAgainIntoAnIndependentNode() {
    FrpcNode.Builder builder = FrpcNode.builder("game", 1).listen("127.0.0.1", 0).ioThreads(1)
        .handler(HandlerDefinition.of("svc", null, 1, self -> new Service()));
    FrpcNode first = builder.build();
    nodes.add(first);
    FrpcNode second = builder.serve(false).build();
    nodes.add(second);

    assertThat(first.serves()).isTrue();
    assertThat(second.serves()).isFalse();
  }

  @Test
  void theDefaultsFitTogether() {
    assertThat(FrpcNode.DEFAULT_HEARTBEAT_TIMEOUT).isGreaterThan(FrpcNode.DEFAULT_HEARTBEAT_INTERVAL);
    assertThat(FrpcNode.DEFAULT_RECONNECT_MAX_BACKOFF).isGreaterThanOrEqualTo(FrpcNode.DEFAULT_RECONNECT_INITIAL_BACKOFF);
    assertThat(FrpcNode.DEFAULT_FRAGMENT_SIZE).isLessThan(FrpcNode.DEFAULT_MAX_MESSAGE_SIZE);
    assertThat(FrpcNode.DEFAULT_MAX_QUEUED_OUTBOUND_BYTES).isGreaterThanOrEqualTo(4L << 20);
  }
}

package io.frpc.sample.client;

import io.frpc.NodeId;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.spring.FrpcSubscribe;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The declarative form: receives {@code test_pub} from every cluster_server node for the whole run. */
@Component
class TestPubListener {

  /** A message on {@code test_pub}. */
  record TestPub(long seq, String from) {
  }

  private final Set<NodeId> senders = ConcurrentHashMap.newKeySet();

  @FrpcSubscribe(node = "cluster_server", channel = "test_pub")
  void testPub(ChannelMessage<TestPub> message) {
    senders.add(message.node().id());
  }

  /** The nodes a {@code test_pub} message came from so far. */
  Set<NodeId> senders() {
    return Set.copyOf(senders);
  }
}

package io.frpc.skynet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.Transport;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.Subscription;
import io.frpc.skynet.server.SkynetServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes added to and removed from the node map while the client runs, as a registry reports them: a name declared
 * before any node makes calls wait for one; an added node takes calls and the subscriptions already made to its
 * name; a removed node takes nothing more.
 */
class SkynetNodeMapChangesTest {

  private FrpcNode node;
  private SkynetServer server;
  private SkynetNodes client;

  /** Module "greeter". */
  public static final class Greeter {
    public String greet(String who) {
      return "hello " + who;
    }
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aNodeAddedLaterTakesWaitingCallsAndTheSubscriptionsToItsNameAndARemovedOneNothingMore() throws Exception {
    client = SkynetNodes.builder("java_c", 7).connectWait(Duration.ofSeconds(20))
        .reconnectDelay(Duration.ofMillis(100)).build();
    client.declare("java_s");
    client.start();
    CompletableFuture<String> waiting = client.template().module("java_s", "greeter")
        .callAsync("greet", String.class, "early");
    SkynetChannelsTest.Recorder<String> news = new SkynetChannelsTest.Recorder<>();
    Subscription subscription = client.channels("java_s").subscribe("news", String.class, news);

    node = FrpcNode.builder("java_s", 1).transport(Transport.IN_JVM)
        .handler(HandlerDefinition.of("greeter", null, 1, instance -> new Greeter())).build();
    node.start();
    server = SkynetServer.builder(node).listen("127.0.0.1", 0).build();
    server.start();
    client.addNode(SkynetRemoteNode.of("java_s", 1, "127.0.0.1:" + server.address().getPort()));

    assertThat(waiting.get(20, TimeUnit.SECONDS)).isEqualTo("hello early");
    await().atMost(Duration.ofSeconds(10)).until(() -> node.publisher().hasSubscribers("news"));
    node.publisher().publish("news", "first");
    assertThat(news.next(ChannelMessage.class).payload()).isEqualTo("first");

    client.removeNode("java_s", 1);
    assertThat(client.isActive("java_s")).isFalse();
    assertThatThrownBy(() -> client.template().module("java_s", "greeter").node(1).call("greet", String.class, "x"))
        .hasMessageContaining("is not in the node map");
    await().atMost(Duration.ofSeconds(10)).until(() -> !node.publisher().hasSubscribers("news"));
    subscription.close();
  }
}

package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.FrpcPublisher;
import io.frpc.pubsub.StateUpdate;
import io.frpc.spring.FrpcSubscribe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link FrpcSubscribe} methods and the {@link FrpcPublisher} bean between two Spring contexts. */
class PubSubSpringIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ApplicationContextRunner publisherRunner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class))
      .withPropertyValues("frpc.node.name=game", "frpc.node.id=1", "frpc.server.port=0",
          "frpc.server.host=127.0.0.1");

  private final ApplicationContextRunner subscriberRunner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class))
      .withPropertyValues("frpc.node.name=hall", "frpc.node.id=1", "frpc.server.enabled=false");

  public record GameOver(int table, String winner) {
  }

  /** Subscribes in every form the annotation supports. */
  public static class Subscriber {
    final List<String> received = new CopyOnWriteArrayList<>();

    @FrpcSubscribe(node = "game", channel = "game:*:over")
    public void gameOver(GameOver event) {
      received.add("payload " + event);
    }

    @FrpcSubscribe(node = "game", id = 1, channel = "game:*:over")
    void gameOverMessage(ChannelMessage<GameOver> message) {
      received.add("message " + message.channel() + " " + message.payload().winner());
    }

    @FrpcSubscribe(node = "game", channel = "ranking")
    public void ranking(List<GameOver> ranking) {
      received.add("ranking " + ranking.get(0).winner() + " of " + ranking.size());
    }

    @FrpcSubscribe(node = "game", channel = "game:status", state = true)
    public void status(StateUpdate<Map<String, Integer>> update) {
      received.add("state v" + update.version() + " " + update.value());
    }

    @FrpcSubscribe(node = "game", channel = "game:players", state = true)
    public void players(Integer players) {
      received.add("players " + players);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SubscriberConfiguration {
    @Bean
    Subscriber subscriber() {
      return new Subscriber();
    }
  }

  @Test
  void annotatedMethodsReceiveMessagesAndStateDecodedIntoTheirParameterTypes() {
    publisherRunner.run(game -> {
      assertThat(game).hasNotFailed();
      FrpcPublisher publisher = game.getBean(FrpcPublisher.class);
      assertThat(publisher).isSameAs(game.getBean(FrpcNode.class).publisher());
      publisher.publishState("game:status", Map.of("open", 1));
      subscriberRunner.withUserConfiguration(SubscriberConfiguration.class)
          .withPropertyValues("frpc.discovery.static.nodes.game.1=127.0.0.1:" + portOf(game))
          .run(hall -> {
            assertThat(hall).hasNotFailed();
            Subscriber subscriber = hall.getBean(Subscriber.class);
            await().atMost(WAIT).until(() -> subscriber.received.contains("state v1 {open=1}"));
            await().atMost(WAIT).until(() -> publisher.hasSubscribers("game:3:over") && publisher.hasSubscribers("ranking"));

            publisher.publish("game:3:over", new GameOver(3, "red"));
            publisher.publish("ranking", List.of(new GameOver(1, "black"), new GameOver(2, "red")));
            publisher.publishState("game:players", 42);

            await().atMost(WAIT).until(() -> subscriber.received.size() == 5);
            assertThat(subscriber.received).containsExactlyInAnyOrder("state v1 {open=1}",
                "payload GameOver[table=3, winner=red]", "message game:3:over red", "ranking black of 2",
                "players 42");
          });
    });
  }

  /** Subscribes to a node name the static list does not have. */
  public static class TypoSubscriber {
    @FrpcSubscribe(node = "gmae", channel = "news")
    public void news(String text) {
    }
  }

  /** Subscribes to an invalid channel. */
  public static class BadChannelSubscriber {
    @FrpcSubscribe(node = "game", channel = "game::over")
    public void news(String text) {
    }
  }

  /** Takes two parameters. */
  public static class TwoParameterSubscriber {
    @FrpcSubscribe(node = "game", channel = "news")
    public void news(String channel, String text) {
    }
  }

  /** Takes a state update but subscribes to messages. */
  public static class WrongWrapperSubscriber {
    @FrpcSubscribe(node = "game", channel = "news")
    public void news(StateUpdate<String> update) {
    }
  }

  @Test
  void invalidSubscriptionsFailStartUpNamingTheMethod() {
    assertStartUpFails(TypoSubscriber.class, "@FrpcSubscribe TypoSubscriber.news", "did you mean 'game'");
    assertStartUpFails(BadChannelSubscriber.class, "@FrpcSubscribe BadChannelSubscriber.news", "empty segment");
    assertStartUpFails(TwoParameterSubscriber.class, "@FrpcSubscribe TwoParameterSubscriber.news",
        "exactly one parameter");
    assertStartUpFails(WrongWrapperSubscriber.class, "@FrpcSubscribe WrongWrapperSubscriber.news",
        "take a ChannelMessage<T>, or set state = true");
  }

  /** A publisher of the user's own. */
  @Configuration(proxyBeanMethods = false)
  static class UserPublisherConfiguration {
    @Bean
    FrpcPublisher userPublisher(FrpcNode node) {
      return node.publisher();
    }
  }

  @Test
  void aUserPublisherBeanReplacesTheAutoConfiguredOne() {
    publisherRunner.withUserConfiguration(UserPublisherConfiguration.class).run(context -> {
      assertThat(context).hasSingleBean(FrpcPublisher.class);
      assertThat(context).doesNotHaveBean("frpcPublisher");
    });
  }

  private void assertStartUpFails(Class<?> subscriber, String... messageParts) {
    subscriberRunner.withBean(subscriber)
        .withPropertyValues("frpc.discovery.static.nodes.game.1=127.0.0.1:1").run(context -> {
          assertThat(context).hasFailed();
          Throwable failure = context.getStartupFailure();
          StringBuilder messages = new StringBuilder();
          for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
          }
          assertThat(messages.toString()).contains(messageParts);
        });
  }

  private static int portOf(AssertableApplicationContext context) {
    return context.getBean(FrpcNode.class).listenAddress().getPort();
  }
}

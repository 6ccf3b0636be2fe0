package io.frpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Subscribes the annotated method of a singleton bean to a channel of other nodes when the application
 * starts; the subscription lasts as long as the node. The method takes one parameter: the payload
 * (its declared type, generics included, is what the payload is decoded into), or a
 * {@link io.frpc.pubsub.ChannelMessage ChannelMessage&lt;T&gt;} (for {@code state = true}, a
 * {@link io.frpc.pubsub.StateUpdate StateUpdate&lt;T&gt;}) to learn the node, the channel and the gap.
 * <pre>{@code
 * @FrpcSubscribe(node = "game", channel = "game:*:over")
 * void gameOver(GameOver event) { ... }
 *
 * @FrpcSubscribe(node = "hall", channel = "hall:status", state = true)
 * void hallStatus(StateUpdate<HallStatus> update) { ... }
 * }</pre>
 * Calls run one at a time per annotated method, never on an I/O thread; an exception is logged and the
 * next message is delivered. A node name discovery can never report, or an invalid channel, fails the
 * start-up.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FrpcSubscribe {

  /** The name of the publishing nodes. */
  String node();

  /** One node of that name; -1 (the default) subscribes on every node of the name, now and later. */
  int id() default -1;

  /** The channel name, or a pattern in which {@code *} stands for one {@code :}-separated segment. */
  String channel();

  /** Whether to watch a state channel (the current value, then every later version) rather than messages. */
  boolean state() default false;
}

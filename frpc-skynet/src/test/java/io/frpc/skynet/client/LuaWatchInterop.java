package io.frpc.skynet.client;

import io.frpc.NodeDownReason;
import io.frpc.RemoteNode;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.MessageListener;
import io.frpc.pubsub.StateListener;
import io.frpc.pubsub.StateUpdate;
import io.frpc.pubsub.Subscription;
import io.frpc.skynet.LuaValue;
import java.util.List;

/**
 * Not a test: a program to try Java subscribers by hand against real skynet_fly nodes running the interop node's
 * {@code interop_m} (its instance 1 publishes {@code interop_pub} and keeps the states {@code interop_syn} and
 * {@code room:1:a} every second). It subscribes on every node of the name, prints each message, state version and
 * node event with the time, for the given number of seconds. Arguments: seconds, svr_name, then one
 * {@code id=host:port[/secret[/encrypt]]} per node.
 */
final class LuaWatchInterop {

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[0]);
    String svrName = args[1];
    SkynetNodes.Builder builder = SkynetNodes.builder("java_watch", 8);
    for (int i = 2; i < args.length; i++) {
      String[] idAndRest = args[i].split("=", 2);
      String[] parts = idAndRest[1].split("/");
      SkynetRemoteNode node = SkynetRemoteNode.of(svrName, Integer.parseInt(idAndRest[0]), parts[0]);
      if (parts.length > 1) {
        node = node.withSecretKey(parts[1]);
      }
      if (parts.length > 2) {
        node = node.withEncryption();
      }
      builder.node(node);
    }
    long start = System.nanoTime();
    try (SkynetNodes nodes = builder.build()) {
      nodes.start();
      SkynetChannels channels = nodes.channels(svrName);
      Subscription ticks = channels.subscribeRaw("interop_pub", new Printer<>("pub raw", start));
      Subscription first = channels.subscribe("interop_pub", String.class, new Printer<>("pub first", start));
      Subscription syn = channels.watchStateRaw("interop_syn", new Printer<>("syn", start));
      Subscription rooms = channels.watchState("room:*:a", String.class, new Printer<>("pattern", start));
      Subscription node1 = channels.node(1).watchState("interop_syn", String.class, new Printer<>("syn@1", start));
      Thread.sleep(seconds * 1000L);
      for (Subscription s : List.of(ticks, first, syn, rooms, node1)) {
        System.out.printf("SUMMARY %-12s on %s, dropped %d%n", s.channel(), s.nodes(), s.dropped());
        s.close();
      }
    }
  }

  private record Printer<T>(String what, long start) implements MessageListener<T>, StateListener<T> {

    private void print(String text) {
      System.out.printf("%6.2fs %-9s %s%n", (System.nanoTime() - start) / 1e9, what, text);
    }

    @Override
    public void onMessage(ChannelMessage<T> message) {
      print(message.nodeId() + " " + message.channel() + " " + show(message.payload()) + " dropped="
          + message.dropped());
    }

    @Override
    public void onState(StateUpdate<T> update) {
      print(update.nodeId() + " " + update.channel() + " v" + update.version() + " " + show(update.value()));
    }

    private static String show(Object value) {
      return value instanceof List<?> values && !values.isEmpty() && values.get(0) instanceof LuaValue
          ? values.toString() : String.valueOf(value);
    }

    @Override
    public void nodeJoined(RemoteNode node) {
      print("JOINED " + node.id());
    }

    @Override
    public void nodeLost(RemoteNode node, NodeDownReason reason) {
      print("LOST " + node.id());
    }
  }
}

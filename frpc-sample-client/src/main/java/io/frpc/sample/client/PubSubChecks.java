package io.frpc.sample.client;

import io.frpc.FrpcTemplate;
import io.frpc.NodeId;
import io.frpc.pubsub.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** The seed's watch (sub/unsub) and watch_syn (subsyn/psubsyn) tests against the two sample servers. */
final class PubSubChecks {

  private static final String NODE = "cluster_server";
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** A message on {@code test_pub}. */
  record TestPub(long seq, String from) {
  }

  /** The value of a {@code nameN:age:address} state channel. */
  record Person(String name, int age, String address) {
  }

  private final FrpcTemplate frpc;

  PubSubChecks(FrpcTemplate frpc) {
    this.frpc = frpc;
  }

  /** sub by name: {@code test_pub} arrives from every node of the name. */
  String subscribeByName() throws InterruptedException {
    List<TestPub> received = new CopyOnWriteArrayList<>();
    try (Subscription subscription = frpc.channels(NODE).subscribe("test_pub", TestPub.class,
        message -> received.add(message.payload()))) {
      expect(within(() -> senders(received).size() == 2), "test_pub should arrive from both nodes: " + received);
      return "received " + received.get(0) + " ... from " + senders(received);
    }
  }

  /** sub by id: {@code test_pub} arrives from that node only. */
  String subscribeById() throws InterruptedException {
    List<TestPub> received = new CopyOnWriteArrayList<>();
    try (Subscription subscription = frpc.channels(NODE).node(2).subscribe("test_pub", TestPub.class,
        message -> received.add(message.payload()))) {
      expect(within(() -> received.size() >= 2), "test_pub should arrive from node 2: " + received);
      expect(senders(received).equals(Set.of("cluster_server:2")), "only node 2 should send: " + received);
      return "received " + received.size() + " from " + senders(received);
    }
  }

  /** unsub: after closing, nothing more arrives, while a subscription still open keeps receiving. */
  String unsubscribe() throws InterruptedException {
    List<TestPub> received = new CopyOnWriteArrayList<>();
    Subscription subscription = frpc.channels(NODE).subscribe("test_pub", TestPub.class,
        message -> received.add(message.payload()));
    expect(within(() -> !received.isEmpty()), "test_pub should arrive before unsubscribing");
    subscription.close();
    int atClose = received.size();
    List<TestPub> after = new CopyOnWriteArrayList<>();
    try (Subscription witness = frpc.channels(NODE).subscribe("test_pub", TestPub.class,
        message -> after.add(message.payload()))) {
      expect(within(() -> after.size() >= 2), "an open subscription should keep receiving test_pub");
    }
    expect(received.size() == atClose, "nothing should arrive after close: " + received);
    return received.size() + " before close, none of the " + after.size() + " published after";
  }

  /** subsyn by id: the current value at once, then the next version. */
  String watchStateById() throws InterruptedException {
    List<String> versions = new CopyOnWriteArrayList<>();
    try (Subscription subscription = frpc.channels(NODE).node(1).watchState("name1:age:address", Person.class,
        update -> versions.add("v" + update.version() + " age " + update.value().age()))) {
      expect(within(() -> versions.size() >= 2), "the current value and a later version should arrive: "
          + versions);
      return String.join(", ", versions);
    }
  }

  /** psubsyn: every matching state channel of every node. */
  String watchStatePattern() throws InterruptedException {
    Map<String, Person> latest = new ConcurrentHashMap<>();
    try (Subscription subscription = frpc.channels(NODE).watchState("*:age:address", Person.class,
        update -> latest.put(update.node().id() + " " + update.channel(), update.value()))) {
      expect(within(() -> latest.size() == 4), "name1 and name2 of both nodes should arrive: " + latest.keySet());
      return "channels " + new TreeMap<>(latest).keySet();
    }
  }

  /** The {@code @FrpcSubscribe} listener has heard both nodes. */
  String declarative(TestPubListener listener) throws InterruptedException {
    expect(within(() -> listener.senders().size() == 2), "the @FrpcSubscribe method should hear both nodes: "
        + listener.senders());
    return "heard " + listener.senders().stream().map(NodeId::toString).sorted().toList();
  }

  private static Set<String> senders(List<TestPub> received) {
    return received.stream().map(TestPub::from).collect(Collectors.toCollection(TreeSet::new));
  }

  private static boolean within(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private static void expect(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}

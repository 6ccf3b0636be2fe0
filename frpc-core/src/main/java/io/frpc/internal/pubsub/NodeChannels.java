package io.frpc.internal.pubsub;

import io.frpc.pubsub.Channels;
import io.frpc.pubsub.MessageListener;
import io.frpc.pubsub.StateListener;
import io.frpc.pubsub.Subscription;
import java.util.Objects;
import tools.jackson.core.type.TypeReference;

/** {@link Channels} of the nodes of one name, or of one node. */
record NodeChannels(SubscriberHub hub, String nodeName, Integer nodeId) implements Channels {

  @Override
  public Channels node(int id) {
    return new NodeChannels(hub, nodeName, id);
  }

  @Override
  public <T> Subscription subscribe(String channel, Class<T> payloadType, MessageListener<T> listener) {
    Objects.requireNonNull(payloadType, "payloadType");
    return hub.subscribe(nodeName, nodeId, channel, false, hub.codec().reader(payloadType), listener);
  }

  @Override
  public <T> Subscription subscribe(String channel, TypeReference<T> payloadType, MessageListener<T> listener) {
    Objects.requireNonNull(payloadType, "payloadType");
    return hub.subscribe(nodeName, nodeId, channel, false, hub.codec().reader(payloadType), listener);
  }

  @Override
  public <T> Subscription watchState(String channel, Class<T> valueType, StateListener<T> listener) {
    Objects.requireNonNull(valueType, "valueType");
    return hub.subscribe(nodeName, nodeId, channel, true, hub.codec().reader(valueType), listener);
  }

  @Override
  public <T> Subscription watchState(String channel, TypeReference<T> valueType, StateListener<T> listener) {
    Objects.requireNonNull(valueType, "valueType");
    return hub.subscribe(nodeName, nodeId, channel, true, hub.codec().reader(valueType), listener);
  }
}

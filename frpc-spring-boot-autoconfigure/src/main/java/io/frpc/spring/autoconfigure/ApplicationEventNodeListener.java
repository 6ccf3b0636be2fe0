package io.frpc.spring.autoconfigure;

import io.frpc.NodeDownReason;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.spring.NodeDownEvent;
import io.frpc.spring.NodeUpEvent;
import org.springframework.context.ApplicationEventPublisher;

/** Publishes node transitions as {@link NodeUpEvent} and {@link NodeDownEvent}. */
final class ApplicationEventNodeListener implements NodeListener {

  private final ApplicationEventPublisher publisher;

  ApplicationEventNodeListener(ApplicationEventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void nodeUp(RemoteNode node) {
    publisher.publishEvent(new NodeUpEvent(this, node));
  }

  @Override
  public void nodeDown(RemoteNode node, NodeDownReason reason) {
    publisher.publishEvent(new NodeDownEvent(this, node, reason));
  }
}

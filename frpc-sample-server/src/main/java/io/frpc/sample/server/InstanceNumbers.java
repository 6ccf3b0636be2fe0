package io.frpc.sample.server;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Hands every handler instance of this node its own number. */
@Component
class InstanceNumbers {

  private final AtomicInteger next = new AtomicInteger();

  int next() {
    return next.incrementAndGet();
  }
}

package io.frpc.internal.transport;

import java.util.concurrent.atomic.LongAdder;

/** Bytes a node received and sent on all its connections since it started. */
public final class Traffic {

  private final LongAdder in = new LongAdder();
  private final LongAdder out = new LongAdder();

  void received(long bytes) {
    in.add(bytes);
  }

  void sent(long bytes) {
    out.add(bytes);
  }

  /** Bytes received since start. */
  public long bytesIn() {
    return in.sum();
  }

  /** Bytes sent since start. */
  public long bytesOut() {
    return out.sum();
  }
}

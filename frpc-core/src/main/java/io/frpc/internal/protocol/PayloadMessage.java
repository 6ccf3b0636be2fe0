package io.frpc.internal.protocol;

import io.netty.util.ReferenceCounted;

/**
 * A decoded message carrying a {@link Payload}, reference-counted through it: a message Netty releases (one that
 * reaches the end of the pipeline, or one a handler refuses with {@code ReferenceCountUtil.release}) gives back the
 * memory of its payload.
 */
public interface PayloadMessage extends ReferenceCounted {

  /** The message's still-encoded bytes. */
  Payload payload();

  @Override
  default int refCnt() {
    return payload().refCnt();
  }

  @Override
  default PayloadMessage retain() {
    payload().retain();
    return this;
  }

  @Override
  default PayloadMessage retain(int increment) {
    payload().retain(increment);
    return this;
  }

  @Override
  default PayloadMessage touch() {
    return this;
  }

  @Override
  default PayloadMessage touch(Object hint) {
    return this;
  }

  @Override
  default boolean release() {
    return payload().release();
  }

  @Override
  default boolean release(int decrement) {
    return payload().release(decrement);
  }
}

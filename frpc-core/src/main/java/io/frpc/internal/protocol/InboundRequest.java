package io.frpc.internal.protocol;

/**
 * A decoded REQUEST: the envelope, the still-encoded arguments, and when the frame arrived.
 *
 * @param envelope     routing information
 * @param arguments    Smile-encoded argument array
 * @param arrivalNanos the node's {@code FrpcClock.nanoTime()} at arrival, for the caller's deadline
 */
public record InboundRequest(RequestEnvelope envelope, Payload arguments, long arrivalNanos) implements PayloadMessage {

  @Override
  public Payload payload() {
    return arguments;
  }
}

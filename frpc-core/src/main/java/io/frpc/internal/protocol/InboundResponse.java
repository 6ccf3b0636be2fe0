package io.frpc.internal.protocol;

/**
 * A decoded RESPONSE whose body is still encoded.
 *
 * @param requestId the request it answers
 * @param status    one of {@link ResponseStatus}
 * @param body      the encoded body
 */
public record InboundResponse(int requestId, byte status, Payload body) implements PayloadMessage {

  @Override
  public Payload payload() {
    return body;
  }
}

package io.frpc;

/** An encoded message exceeds {@code frpc.max-message-size} of this node or of its peer. */
public class MessageTooLargeException extends FrpcException {

  public MessageTooLargeException(long size, long limit) {
    super("message of " + size + " bytes exceeds the maximum message size of " + limit
        + " bytes (frpc.max-message-size)");
  }
}

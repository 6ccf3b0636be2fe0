package io.frpc.internal.protocol;

/** Status codes of a RESPONSE frame. */
public final class ResponseStatus {

  /** Body: the Smile-encoded result. */
  public static final byte OK = 0;
  /** Body: a Smile-encoded {@link RemoteError}. */
  public static final byte ERROR = 1;
  /** Body: one item per instance, see {@link BroadcastItem}. */
  public static final byte BROADCAST = 2;

  private ResponseStatus() {
  }
}

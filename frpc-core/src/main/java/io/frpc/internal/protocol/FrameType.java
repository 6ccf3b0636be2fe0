package io.frpc.internal.protocol;

import java.util.Set;

/**
 * Frame type codes of protocol version {@value #PROTOCOL_VERSION}; see {@code docs/protocol.md}.
 * Codes not listed here are reserved; a peer sends a frame of a later feature only after both sides
 * announced that feature in the handshake, so an unknown type is always a protocol error.
 */
public final class FrameType {

  /** The protocol version this implementation speaks. */
  public static final int PROTOCOL_VERSION = 1;

  public static final byte HELLO = 0x01;
  public static final byte HELLO_ACK = 0x02;
  public static final byte HELLO_REJECT = 0x03;
  public static final byte PING = 0x04;
  public static final byte PONG = 0x05;
  public static final byte CHALLENGE = 0x06;
  public static final byte AUTH = 0x07;
  public static final byte FRAGMENT = 0x08;
  public static final byte GOING_AWAY = 0x09;
  public static final byte WINDOW = 0x0A;
  public static final byte REQUEST = 0x10;
  public static final byte RESPONSE = 0x11;
  public static final byte CANCEL = 0x12;
  public static final byte SUBSCRIBE = 0x20;
  public static final byte UNSUBSCRIBE = 0x21;
  public static final byte SUBSCRIBE_REJECT = 0x22;
  public static final byte MESSAGE = 0x23;
  public static final byte STATE = 0x24;

  /** The handshake feature that admits the pub/sub frames (SUBSCRIBE to STATE). */
  public static final String FEATURE_PUBSUB = "pubsub";

  /** The handshake feature that admits GOING_AWAY: the accepting node announces a graceful shutdown. */
  public static final String FEATURE_DRAIN = "drain";

  /** The handshake feature that admits a trace context in REQUEST envelopes (flag 0x08). */
  public static final String FEATURE_TRACE = "trace";

  /** The handshake feature that admits CANCEL: the caller tells the callee it no longer waits for a reply. */
  public static final String FEATURE_CANCEL = "cancel";

  /**
   * The handshake feature that admits WINDOW: each side grants back the fragment bytes it has read, and keeps
   * the fragment bytes it sent and has not had granted within its window.
   */
  public static final String FEATURE_WINDOW = "window";

  /** The features this implementation announces in its handshake. */
  public static final Set<String> FEATURES = Set.of(FEATURE_PUBSUB, FEATURE_DRAIN, FEATURE_TRACE, FEATURE_CANCEL,
      FEATURE_WINDOW);

  private FrameType() {
  }

  /** A readable name for logs. */
  public static String name(int type) {
    return switch (type) {
      case HELLO -> "HELLO";
      case HELLO_ACK -> "HELLO_ACK";
      case HELLO_REJECT -> "HELLO_REJECT";
      case PING -> "PING";
      case PONG -> "PONG";
      case CHALLENGE -> "CHALLENGE";
      case AUTH -> "AUTH";
      case FRAGMENT -> "FRAGMENT";
      case GOING_AWAY -> "GOING_AWAY";
      case WINDOW -> "WINDOW";
      case REQUEST -> "REQUEST";
      case RESPONSE -> "RESPONSE";
      case CANCEL -> "CANCEL";
      case SUBSCRIBE -> "SUBSCRIBE";
      case UNSUBSCRIBE -> "UNSUBSCRIBE";
      case SUBSCRIBE_REJECT -> "SUBSCRIBE_REJECT";
      case MESSAGE -> "MESSAGE";
      case STATE -> "STATE";
      default -> String.format("unknown(0x%02x)", type & 0xff);
    };
  }

  /** Whether a frame of this type may arrive before the handshake completed. */
  static boolean isHandshake(int type) {
    return type == HELLO || type == HELLO_ACK || type == HELLO_REJECT || type == CHALLENGE || type == AUTH;
  }
}

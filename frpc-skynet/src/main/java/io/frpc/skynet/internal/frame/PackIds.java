package io.frpc.skynet.internal.frame;

/**
 * skynet_fly's pack ids (its {@code FRPC_PACK_ID}): what a request asks for. The send forms (100–106) and the call
 * forms (200–206) differ by 100; whether a reply is wanted is the request's own flag.
 */
public final class PackIds {

  public static final int HANDSHAKE = 1;
  public static final int PUBLISH = 10;
  public static final int SUB = 11;
  public static final int UNSUB = 12;
  public static final int SUBSYN = 13;
  public static final int UNSUBSYN = 14;
  public static final int PSUBSYN = 15;
  public static final int UNPSUBSYN = 16;

  public static final int BALANCE_SEND = 100;
  public static final int MOD_SEND = 101;
  public static final int BROADCAST = 102;
  public static final int BALANCE_SEND_BY_NAME = 103;
  public static final int MOD_SEND_BY_NAME = 104;
  public static final int BROADCAST_BY_NAME = 105;
  public static final int SEND_BY_ALIAS = 106;

  /** What a call form adds to its send form. */
  public static final int CALL_OFFSET = 100;

  public static final int BALANCE_CALL = 200;
  public static final int MOD_CALL = 201;
  public static final int BROADCAST_CALL = 202;
  public static final int BALANCE_CALL_BY_NAME = 203;
  public static final int MOD_CALL_BY_NAME = 204;
  public static final int BROADCAST_CALL_BY_NAME = 205;
  public static final int CALL_BY_ALIAS = 206;

  private PackIds() {
  }

  /** The send form of a send or call pack id (100–106), or {@code -1} when it is neither. */
  public static int sendForm(int packId) {
    if (packId >= BALANCE_SEND && packId <= SEND_BY_ALIAS) {
      return packId;
    }
    if (packId >= BALANCE_CALL && packId <= CALL_BY_ALIAS) {
      return packId - CALL_OFFSET;
    }
    return -1;
  }
}

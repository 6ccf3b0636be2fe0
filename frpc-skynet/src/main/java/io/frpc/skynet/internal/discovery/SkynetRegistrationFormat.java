package io.frpc.skynet.internal.discovery;

import io.frpc.skynet.internal.handshake.SkynetSecurity;

/**
 * skynet_fly's registration in Redis (skynet_fly {@code lualib/skynet-fly/rpc/rpc_redis.lua}): the key
 * {@code skynet_fly:rpc:<svr_name>:<svr_id>} holds {@code <host:port>_<secret_key or #>_<1 or #>}, in db 0.
 * skynet_fly reads it back by splitting on {@code '_'}, so neither the address nor the secret key may hold one, and
 * a secret key of {@code "#"} would read as none.
 */
final class SkynetRegistrationFormat {

  /** The prefix of every key. */
  static final String KEY_PREFIX = "skynet_fly:rpc:";
  /** The database skynet_fly's watchers subscribe to ({@code __keyspace@0__}), whatever their connection's. */
  static final int DATABASE = 0;

  private static final String NONE = "#";

  private SkynetRegistrationFormat() {
  }

  /** The key of a node. */
  static String key(String svrName, long svrId) {
    return KEY_PREFIX + svrName + ":" + svrId;
  }

  /** The pattern of the keys of every node of one {@code svr_name}. */
  static String keyPattern(String svrName) {
    return KEY_PREFIX + svrName + ":*";
  }

  /** The keyspace channel pattern of those keys, in db 0. */
  static String channelPattern(String svrName) {
    return "__keyspace@" + DATABASE + "__:" + keyPattern(svrName);
  }

  /**
   * The value announcing a node at {@code address} ({@code host:port}).
   *
   * @throws IllegalArgumentException if the address or the secret key holds {@code '_'}, or the secret key is
   *     {@code "#"}: skynet_fly could not read the value back
   */
  static String value(String address, SkynetSecurity security) {
    if (address.isEmpty() || address.indexOf('_') >= 0) {
      throw new IllegalArgumentException("the advertised address \"" + address + "\" must be host:port without '_'"
          + " (skynet_fly splits its registration on '_')");
    }
    String secret = security.secretKey();
    if (secret != null && (secret.indexOf('_') >= 0 || secret.equals(NONE))) {
      throw new IllegalArgumentException("a secret key announced in Redis must not contain '_' nor be \"#\": "
          + "skynet_fly splits its registration on '_' and reads \"#\" as no secret");
    }
    return address + "_" + (secret == null ? NONE : secret) + "_" + (security.encrypt() ? "1" : NONE);
  }

  /**
   * The svr_id at the end of a key of {@code svrName}'s nodes, or {@code null} when the key is not one (skynet_fly:
   * {@code tonumber} of the text after the last {@code ':'}).
   */
  static Long svrId(String svrName, String key) {
    String prefix = keyPattern(svrName).substring(0, keyPattern(svrName).length() - 1);
    if (!key.startsWith(prefix)) {
      return null;
    }
    try {
      return Long.parseLong(key.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The node a value announces, or {@code null} when it is not {@code <host:port>_<secret>_<flag>} with a port of 1
   * to 65535 (skynet_fly: the secret key is none when {@code "#"}, encryption is on unless the flag is
   * {@code "#"}).
   */
  static SkynetNode parse(String svrName, long svrId, String value) {
    String[] parts = value.split("_", -1);
    if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
      return null;
    }
    int colon = parts[0].lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    int port;
    try {
      port = Integer.parseInt(parts[0].substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (port < 1 || port > 65535) {
      return null;
    }
    SkynetSecurity security = new SkynetSecurity(parts[1].equals(NONE) ? null : parts[1], !parts[2].equals(NONE));
    return new SkynetNode(svrName, svrId, parts[0].substring(0, colon), port, security);
  }
}

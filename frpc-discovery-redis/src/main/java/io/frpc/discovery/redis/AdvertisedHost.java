package io.frpc.discovery.redis;

import io.frpc.FrpcConfigurationException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;

/** How other nodes reach this one, when nobody said: the host a registration names. */
final class AdvertisedHost {

  private AdvertisedHost() {
  }

  /**
   * The listen address itself, else (listening on all interfaces, or an address that does not resolve) a
   * site-local IPv4 address of an interface that is up, else this host name's address.
   */
  static String of(InetAddress listen) {
    if (listen != null && !listen.isAnyLocalAddress()) {
      return listen.getHostAddress();
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback() && !nic.isVirtual()) {
          for (InetAddress address : Collections.list(nic.getInetAddresses())) {
            if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
              return address.getHostAddress();
            }
          }
        }
      }
      return InetAddress.getLocalHost().getHostAddress();
    } catch (SocketException | UnknownHostException e) {
      throw new FrpcConfigurationException("frpc.server.advertised-host", "cannot determine this machine's address"
          + " for Redis discovery", "set frpc.server.advertised-host to the host other nodes should connect to", e);
    }
  }
}

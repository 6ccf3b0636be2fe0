package io.frpc.discovery.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

/** The host a node writes into its Redis registration when it is not told one. */
class AdvertisedHostTest {

  @Test
  void aSpecificListenAddressIsAdvertisedAsItIs() {
    assertThat(RedisNodeDiscovery.advertisedHost("127.0.0.1")).isEqualTo("127.0.0.1");
  }

  @Test
  void listeningOnAllInterfacesAdvertisesAnAddressOfThisMachineRatherThanTheWildcard() throws Exception {
    String advertised = RedisNodeDiscovery.advertisedHost("0.0.0.0");

    InetAddress address = InetAddress.getByName(advertised);
    assertThat(address.isAnyLocalAddress()).isFalse();
    assertThat(NetworkInterface.getByInetAddress(address)).as("an address of this machine").isNotNull();
  }
}

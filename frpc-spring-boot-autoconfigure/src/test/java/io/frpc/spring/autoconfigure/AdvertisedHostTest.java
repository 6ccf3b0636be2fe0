package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

/** The host a node writes into its Redis registration. */
class AdvertisedHostTest {

  private final FrpcProperties.Server server = new FrpcProperties.Server();

  @Test
  void theConfiguredHostWins() {
    server.setHost("0.0.0.0");
    server.setAdvertisedHost("game-1.internal");

    assertThat(FrpcRedisDiscoveryAutoConfiguration.advertisedHost(server)).isEqualTo("game-1.internal");
  }

  @Test
  void aSpecificListenAddressIsAdvertisedAsItIs() {
    server.setHost("127.0.0.1");

    assertThat(FrpcRedisDiscoveryAutoConfiguration.advertisedHost(server)).isEqualTo("127.0.0.1");
  }

  @Test
  void listeningOnAllInterfacesAdvertisesAnAddressOfThisMachineRatherThanTheWildcard() throws Exception {
    server.setHost("0.0.0.0");

    String advertised = FrpcRedisDiscoveryAutoConfiguration.advertisedHost(server);

    InetAddress address = InetAddress.getByName(advertised);
    assertThat(address.isAnyLocalAddress()).isFalse();
    assertThat(NetworkInterface.getByInetAddress(address)).as("an address of this machine").isNotNull();
  }
}

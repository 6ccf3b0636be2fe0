package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.FrpcConfigurationException;
import io.frpc.Transport;
import io.frpc.internal.protocol.FrameType;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code frpc.socket-buffer-size}: checked, and set on both sides of a TCP connection only when given. */
class TransportSettingsTest {

  @Test
  void aSocketBufferSizeIsSetAsTheSendAndReceiveBufferOfOpenedAndAcceptedConnections() {
    TransportSettings settings = settings(256 * 1024, Transport.TCP);
    Bootstrap opening = new Bootstrap();
    ServerBootstrap accepting = new ServerBootstrap();

    settings.applySocketBuffers(opening, false);
    settings.applySocketBuffers(accepting, true);

    assertThat(opening.config().options()).containsEntry(ChannelOption.SO_RCVBUF, 256 * 1024)
        .containsEntry(ChannelOption.SO_SNDBUF, 256 * 1024);
    assertThat(accepting.config().options()).as("the listening socket's, which accepted ones start with")
        .containsEntry(ChannelOption.SO_RCVBUF, 256 * 1024).doesNotContainKey(ChannelOption.SO_SNDBUF);
    assertThat(accepting.config().childOptions()).containsEntry(ChannelOption.SO_SNDBUF, 256 * 1024);
  }

  @Test
  void withoutOneTheOperatingSystemKeepsSizingTheBuffers() {
    Bootstrap tcp = new Bootstrap();
    Bootstrap inJvm = new Bootstrap();

    settings(0, Transport.TCP).applySocketBuffers(tcp, false);
    settings(64 * 1024, Transport.IN_JVM).applySocketBuffers(inJvm, false);

    assertThat(tcp.config().options()).doesNotContainKeys(ChannelOption.SO_RCVBUF, ChannelOption.SO_SNDBUF);
    assertThat(inJvm.config().options()).doesNotContainKeys(ChannelOption.SO_RCVBUF, ChannelOption.SO_SNDBUF);
  }

  @Test
  void aSocketBufferSizeBelowEightKibibytesIsRefusedNamingTheProperty() {
    assertThatThrownBy(() -> settings(4096, Transport.TCP)).isInstanceOf(FrpcConfigurationException.class)
        .hasMessageContaining("frpc.socket-buffer-size").hasMessageContaining("4096");
  }

  private static TransportSettings settings(int socketBufferSize, Transport transport) {
    return new TransportSettings(1 << 20, 64 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(5), FrameType.FEATURES, transport, socketBufferSize,
        TransportSettings.DEFAULT_FRAGMENT_WINDOW);
  }
}

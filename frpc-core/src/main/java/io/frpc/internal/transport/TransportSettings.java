package io.frpc.internal.transport;

import io.frpc.FrpcConfigurationException;
import io.frpc.Transport;
import io.frpc.internal.protocol.FrameDecoder;
import io.frpc.internal.protocol.FrameType;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings shared by the server and the client side of a node.
 *
 * @param maxMessageSize    largest message accepted or sent, in bytes
 * @param fragmentSize      messages larger than this travel as fragments of this size
 * @param heartbeatInterval a PING is sent every this long, whether or not the connection is busy
 * @param heartbeatTimeout  a connection is closed after this long without reading anything
 * @param handshakeTimeout  a connection whose handshake has not completed by then is closed
 * @param features          the optional protocol features this node announces in its handshakes: all of
 *                          {@link FrameType#FEATURES}, or fewer to speak as an older version (interoperability
 *                          tests)
 * @param transport         what the connections travel on: TCP, or local channels inside this JVM
 * @param socketBufferSize  the kernel's send and receive buffer of each TCP connection, in bytes; 0 leaves them to
 *                          the operating system, which grows them with the traffic
 * @param fragmentWindow    fragment bytes of large messages a connection sends ahead of what its peer has read, with
 *                          the {@code window} feature
 */
public record TransportSettings(int maxMessageSize, int fragmentSize, Duration heartbeatInterval,
    Duration heartbeatTimeout, Duration handshakeTimeout, Set<String> features, Transport transport,
    int socketBufferSize, int fragmentWindow) {

  /** Smallest {@code frpc.socket-buffer-size} accepted. */
  public static final int MIN_SOCKET_BUFFER_SIZE = 8 * 1024;

  /** The default {@code frpc.fragment-window}: 1 MiB. */
  public static final int DEFAULT_FRAGMENT_WINDOW = 1024 * 1024;

  /** Smallest {@code frpc.fragment-window} accepted. */
  public static final int MIN_FRAGMENT_WINDOW = 16 * 1024;

  /** Settings over TCP announcing every feature this version has. */
  public TransportSettings(int maxMessageSize, int fragmentSize, Duration heartbeatInterval, Duration heartbeatTimeout,
      Duration handshakeTimeout) {
    this(maxMessageSize, fragmentSize, heartbeatInterval, heartbeatTimeout, handshakeTimeout, FrameType.FEATURES,
        Transport.TCP);
  }

  /** Settings whose socket buffers are left to the operating system, with the default fragment window. */
  public TransportSettings(int maxMessageSize, int fragmentSize, Duration heartbeatInterval, Duration heartbeatTimeout,
      Duration handshakeTimeout, Set<String> features, Transport transport) {
    this(maxMessageSize, fragmentSize, heartbeatInterval, heartbeatTimeout, handshakeTimeout, features, transport, 0,
        DEFAULT_FRAGMENT_WINDOW);
  }

  public TransportSettings {
    if (fragmentSize < 1024 || fragmentSize > FrameDecoder.MAX_FRAME_LENGTH - 64) {
      throw new FrpcConfigurationException("frpc.fragment-size", "frpc.fragment-size must be within 1 KiB.."
          + (FrameDecoder.MAX_FRAME_LENGTH - 64) + " bytes but was " + fragmentSize, "the default is 64KB");
    }
    if (maxMessageSize < 1024) {
      throw new FrpcConfigurationException("frpc.max-message-size", "frpc.max-message-size must be at least 1 KiB"
          + " but was " + maxMessageSize, "the default is 128MB");
    }
    if (heartbeatTimeout.minus(heartbeatInterval).compareTo(Duration.ZERO) <= 0) {
      throw new FrpcConfigurationException("frpc.heartbeat-timeout", "frpc.heartbeat-timeout (" + heartbeatTimeout
          + ") must be longer than frpc.heartbeat-interval (" + heartbeatInterval + ")",
          "make the timeout at least two intervals, e.g. 5s and 15s");
    }
    if (!FrameType.FEATURES.containsAll(features)) {
      throw new IllegalArgumentException("unknown protocol features in " + features + "; known: "
          + FrameType.FEATURES);
    }
    if (socketBufferSize != 0 && socketBufferSize < MIN_SOCKET_BUFFER_SIZE) {
      throw new FrpcConfigurationException("frpc.socket-buffer-size", "frpc.socket-buffer-size must be at least "
          + MIN_SOCKET_BUFFER_SIZE + " bytes but was " + socketBufferSize,
          "leave it unset for the operating system's buffers, or set e.g. 256KB");
    }
    if (fragmentWindow < MIN_FRAGMENT_WINDOW) {
      throw new FrpcConfigurationException("frpc.fragment-window", "frpc.fragment-window must be at least "
          + MIN_FRAGMENT_WINDOW + " bytes but was " + fragmentWindow, "the default is 1MB");
    }
    features = Set.copyOf(features);
    Objects.requireNonNull(transport, "transport");
  }

  /** Sets the socket buffers of the connections {@code bootstrap} opens or accepts, unless they are left to the OS. */
  void applySocketBuffers(AbstractBootstrap<?, ?> bootstrap, boolean accepting) {
    if (socketBufferSize == 0 || inJvm()) {
      return;
    }
    // the receive buffer is set before the connection exists (on the listening socket for accepted ones): the
    // window it allows is agreed in the handshake
    bootstrap.option(ChannelOption.SO_RCVBUF, socketBufferSize);
    if (accepting) {
      ((ServerBootstrap) bootstrap).childOption(ChannelOption.SO_SNDBUF, socketBufferSize);
    } else {
      bootstrap.option(ChannelOption.SO_SNDBUF, socketBufferSize);
    }
  }

  /** Whether the connections are local channels inside this JVM. */
  boolean inJvm() {
    return transport == Transport.IN_JVM;
  }
}

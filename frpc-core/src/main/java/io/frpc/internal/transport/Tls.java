package io.frpc.internal.transport;

import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.security.SharedSecrets;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.frpc.FrpcConfigurationException;
import io.frpc.TlsClientAuth;
import io.frpc.TlsSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/** The TLS contexts of a node: one for its listener, one for the connections it makes; either may be absent. */
public final class Tls {

  /** OpenSSL (netty-tcnative) where it is on the classpath and loads on this platform, else the JDK's engine. */
  private static final SslProvider PROVIDER = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;

  private final SslContext server;
  private final SslContext client;

  private Tls(SslContext server, SslContext client) {
    this.server = server;
    this.client = client;
  }

  /** No TLS on either side. */
  public static Tls none() {
    return new Tls(null, null);
  }

  /**
   * @param server         the listener's key material, or {@code null} for a plain listener
   * @param clientAuth     whether the listener asks for client certificates
   * @param client         the calling side's trust (and optional key) material, or {@code null} for plain
   * @param verifyHostname whether a called node's certificate must name the host connected to
   */
  public static Tls of(TlsSettings server, TlsClientAuth clientAuth, TlsSettings client, boolean verifyHostname) {
    try {
      SslContext serverContext = null;
      if (server != null) {
        if (server.keyManagers() == null) {
          throw new FrpcConfigurationException("frpc.server.ssl.bundle", "the TLS listener has no key and "
              + "certificate", "use an SSL bundle with a keystore");
        }
        SslContextBuilder builder = SslContextBuilder.forServer(server.keyManagers()).sslProvider(PROVIDER)
            .trustManager(server.trustManagers())
            .clientAuth(switch (clientAuth) {
              case NONE -> ClientAuth.NONE;
              case WANT -> ClientAuth.OPTIONAL;
              case NEED -> ClientAuth.REQUIRE;
            });
        serverContext = options(builder, server).build();
      }
      SslContext clientContext = null;
      if (client != null) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(PROVIDER)
            .keyManager(client.keyManagers())
            .trustManager(client.trustManagers())
            .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        clientContext = options(builder, client).build();
      }
      return new Tls(serverContext, clientContext);
    } catch (SSLException e) {
      throw new FrpcConfigurationException("frpc.server.ssl.bundle", "TLS cannot be set up: " + e.getMessage(),
          "check the SSL bundles named by frpc.server.ssl.bundle and frpc.client.ssl.bundle", e);
    }
  }

  private static SslContextBuilder options(SslContextBuilder builder, TlsSettings settings) {
    if (!settings.protocols().isEmpty()) {
      builder.protocols(settings.protocols().toArray(String[]::new));
    }
    if (!settings.ciphers().isEmpty()) {
      builder.ciphers(settings.ciphers());
    }
    return builder;
  }

  /** Whether the listener speaks TLS. */
  public boolean serves() {
    return server != null;
  }

  /** Whether this node calls others over TLS. */
  public boolean calls() {
    return client != null;
  }

  SslHandler serverHandler(ByteBufAllocator alloc) {
    return server == null ? null : server.newHandler(alloc);
  }

  SslHandler clientHandler(ByteBufAllocator alloc, String host, int port) {
    return client == null ? null : client.newHandler(alloc, host, port);
  }

  /**
   * What binds an authenticated handshake to the TLS session under it: the SHA-256 of the accepting node's
   * certificate, as the accepting side ({@code serving}) holds it and as the connecting side received it
   * (after RFC 5929's tls-server-end-point), or no bytes without TLS. A relay between two TLS legs presents
   * its own certificate to the caller, so the two sides' transcripts differ and the proofs fail.
   */
  static byte[] binding(ChannelPipeline pipeline, boolean serving) {
    SslHandler tls = pipeline.get(SslHandler.class);
    if (tls == null) {
      return new byte[0];
    }
    try {
      SSLSession session = tls.engine().getSession();
      Certificate[] certificates = serving ? session.getLocalCertificates() : session.getPeerCertificates();
      if (certificates == null || certificates.length == 0) {
        return new byte[0];
      }
      return SharedSecrets.sha256(certificates[0].getEncoded());
    } catch (SSLPeerUnverifiedException | CertificateEncodingException e) {
      throw new ProtocolException("the TLS session has no usable server certificate: " + e.getMessage());
    }
  }
}

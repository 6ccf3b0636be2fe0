package io.frpc;

import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key material and options of one side of TLS, as a Spring Boot SSL bundle provides them.
 *
 * @param keyManagers   this node's certificate and key; required to serve, optional to call (mutual TLS)
 * @param trustManagers the certificates this node trusts; {@code null} for the JVM's default trust store
 * @param protocols     enabled protocols (e.g. {@code TLSv1.3}), or empty for the defaults
 * @param ciphers       enabled cipher suites, or empty for the defaults
 */
public record TlsSettings(KeyManagerFactory keyManagers, TrustManagerFactory trustManagers, Set<String> protocols,
    Set<String> ciphers) {

  public TlsSettings {
    protocols = protocols == null ? Set.of() : Set.copyOf(protocols);
    ciphers = ciphers == null ? Set.of() : Set.copyOf(ciphers);
  }

  /** Key and trust material with default protocols and ciphers. */
  public static TlsSettings of(KeyManagerFactory keyManagers, TrustManagerFactory trustManagers) {
    return new TlsSettings(keyManagers, trustManagers, Set.of(), Set.of());
  }
}

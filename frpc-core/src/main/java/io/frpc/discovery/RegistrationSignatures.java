package io.frpc.discovery;

/**
 * Signs the registrations this node writes to a shared registry and checks those it reads, with the node's
 * shared secrets ({@code frpc.security.secret}, {@code accepted-secrets}, {@code node-secrets}): whoever can
 * write to the registry but knows no secret cannot register an address under the name of a node that checks.
 * A {@link NodeDiscovery} gets this node's from {@link DiscoveryContext#registrationSignatures()}; what is signed
 * is the registry's business (Redis discovery's encoding is in docs/protocol.md). Thread-safe.
 */
public interface RegistrationSignatures {

  /** Signs nothing and accepts every registration: a node without a secret. */
  RegistrationSignatures NONE = new RegistrationSignatures() {
    @Override
    public byte[] sign(byte[] content) {
      return null;
    }

    @Override
    public boolean accepts(String nodeName, byte[] content, byte[] signature) {
      return true;
    }
  };

  /**
   * The signature of {@code content}, a registration this node writes about itself, or {@code null} when this
   * node has no secret: its registrations are then unsigned.
   */
  byte[] sign(byte[] content);

  /**
   * Whether a registration of a node named {@code nodeName} may be used: always when no secret applies to nodes
   * of that name; otherwise only when {@code signature} ({@code null} for an unsigned registration) is the
   * signature over {@code content} made with a secret this node accepts from them, compared in constant time.
   */
  boolean accepts(String nodeName, byte[] content, byte[] signature);
}

package io.frpc.skynet.internal.handshake;

import java.nio.charset.StandardCharsets;

/**
 * How a skynet_fly frpc connection is secured, as a skynet_fly node configures it ({@code secret_key} and
 * {@code is_encrypt} of {@code frpc_server} or of a {@code node_map} entry). Both ends of a connection must be
 * configured alike: skynet_fly's server runs the challenge steps iff it has a secret or encryption, its client iff
 * its entry has one of them, and neither can tell the other what it expects.
 *
 * <ul>
 *   <li>neither: the client sends its identity in clear, nothing is encrypted;</li>
 *   <li>a secret key: a Diffie-Hellman exchange and a challenge come first, then the identity, DES-encrypted under
 *       the shared key, carries the secret key, which the server compares with its own; payloads stay clear;</li>
 *   <li>encryption (with or without a secret key): the same steps, and every payload after the handshake is
 *       DES-encrypted under the shared key, except the text of error responses.</li>
 * </ul>
 *
 * @param secretKey the secret both sides must share, or {@code null} for none; compared as bytes (its UTF-8)
 * @param encrypt whether payloads are DES-encrypted after the handshake
 */
public record SkynetSecurity(String secretKey, boolean encrypt) {

  /** No secret, no encryption. */
  public static final SkynetSecurity NONE = new SkynetSecurity(null, false);

  /** Refuses an empty secret key: skynet_fly would send it, but a secret is meant to be one. */
  public SkynetSecurity {
    if (secretKey != null && secretKey.isEmpty()) {
      throw new IllegalArgumentException("the secret key must not be empty: use null for none");
    }
  }

  /** Whether the handshake runs the challenge steps (a secret key, encryption or both). */
  public boolean challenged() {
    return secretKey != null || encrypt;
  }

  /**
   * Whether payloads are DES-encrypted after the handshake on a connection of this kind: with encryption; and on a
   * watch connection also with a secret key alone, as skynet_fly's client encrypts its subscriptions and decrypts
   * the pushes whenever the challenge ran (skynet_fly's own server does not, so there its Lua subscribers get
   * nothing in that configuration; ours serves them).
   */
  public boolean encryptsPayloads(boolean watch) {
    return encrypt || watch && challenged();
  }

  /** The secret key's UTF-8 bytes, or {@code null}. */
  byte[] secretKeyBytes() {
    return secretKey == null ? null : secretKey.getBytes(StandardCharsets.UTF_8);
  }

  /** Says which parts are set, never the secret itself. */
  @Override
  public String toString() {
    return "SkynetSecurity[secretKey=" + (secretKey == null ? "none" : "(set)") + ", encrypt=" + encrypt + "]";
  }
}

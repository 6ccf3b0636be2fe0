package io.frpc.internal.security;

import io.frpc.FrpcConfigurationException;
import io.frpc.discovery.RegistrationSignatures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The shared secrets of a node and everything made with them: handshake proofs, the keys that protect
 * frames, and signatures of Redis registrations.
 *
 * <p>Each secret is stretched once, when this object is made, with PBKDF2-HMAC-SHA256
 * ({@value #STRETCH_ITERATIONS} iterations, about 0.2 s), so that someone who records a proof must pay that
 * much per guess of the secret. A proof is HMAC-SHA256 with the stretched key over a {@link Transcript}
 * that binds both identities, both nonces, both ephemeral key shares, the terms both sides agreed and the
 * TLS session, so a recorded or relayed proof is worthless in any other handshake. Secrets never leave this
 * class: not in proofs, messages or {@link #toString()}.
 */
public final class SharedSecrets implements RegistrationSignatures {

  /** PBKDF2 iterations that stretch a secret; the same on every node, as the keys must agree. */
  static final int STRETCH_ITERATIONS = 600_000;
  private static final byte[] STRETCH_SALT = "frpc.security.secret v2".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE_BYTES = 32;
  private static final byte[] REGISTRATION_KEY = "frpc v2 registration key".getBytes(StandardCharsets.US_ASCII);

  private final Keys own;
  private final List<Keys> accepted;
  private final Map<String, Keys> byNodeName;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param secret     this node's secret, or {@code null} for none (then nothing is authenticated)
   * @param accepted   further secrets accepted from peers, for rotation
   * @param byNodeName secrets this node uses towards nodes of a name (a cluster with another secret)
   */
  public SharedSecrets(String secret, List<String> accepted, Map<String, String> byNodeName) {
    this.own = secret == null || secret.isEmpty() ? null : Keys.of("frpc.security.secret", secret);
    this.accepted = new ArrayList<>();
    for (String other : accepted) {
      this.accepted.add(Keys.of("frpc.security.accepted-secrets", other));
    }
    this.byNodeName = new HashMap<>();
    byNodeName.forEach((name, value) -> this.byNodeName.put(name, Keys.of("frpc.security.node-secrets." + name,
        value)));
    if (this.own == null && !this.accepted.isEmpty()) {
      throw new FrpcConfigurationException("frpc.security.accepted-secrets", "frpc.security.accepted-secrets is set "
          + "without frpc.security.secret", "set frpc.security.secret, the secret this node proves itself with");
    }
  }

  /** No authentication. */
  public static SharedSecrets none() {
    return new SharedSecrets(null, List.of(), Map.of());
  }

  /** Whether this node authenticates the peers that connect to it. */
  public boolean serverRequiresAuthentication() {
    return own != null;
  }

  /** Whether this node authenticates nodes named {@code nodeName} it connects to. */
  public boolean clientAuthenticates(String nodeName) {
    return byNodeName.containsKey(nodeName) || own != null;
  }

  /** A fresh random nonce. */
  public byte[] nonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return nonce;
  }

  /** The accepting node's proof, made with its own secret. */
  public byte[] serverProof(Transcript transcript) {
    return Hkdf.hmac(own.proof, transcript.bytes("server"));
  }

  /** Whether {@code proof} is the accepting node's, made with a secret this node accepts towards it. */
  public boolean verifyServer(String serverName, Transcript transcript, byte[] proof) {
    return matches(candidates(clientKeys(serverName)), transcript.bytes("server"), proof, false);
  }

  /** The connecting node's proof towards nodes named {@code serverName}. */
  public byte[] clientProof(String serverName, Transcript transcript) {
    return Hkdf.hmac(clientKeys(serverName).proof, transcript.bytes("client"));
  }

  /** Whether {@code proof} is a connecting node's, made with a secret this node accepts. */
  public boolean verifyClient(Transcript transcript, byte[] proof) {
    return matches(candidates(own), transcript.bytes("client"), proof, false);
  }

  /** HMAC-SHA256 over {@code content} with this node's registration key; {@code null} without a secret. */
  @Override
  public byte[] sign(byte[] content) {
    return own == null ? null : Hkdf.hmac(own.registration, content);
  }

  /**
   * Whether a registration of a node named {@code nodeName} may be used: without a secret for that name always,
   * else when {@code signature} verifies with a secret this node accepts from it.
   */
  @Override
  public boolean accepts(String nodeName, byte[] content, byte[] signature) {
    return !clientAuthenticates(nodeName) || matches(candidates(clientKeys(nodeName)), content, signature, true);
  }

  private Keys clientKeys(String serverName) {
    Keys specific = byNodeName.get(serverName);
    return specific != null ? specific : own;
  }

  private List<Keys> candidates(Keys primary) {
    List<Keys> candidates = new ArrayList<>();
    candidates.add(primary);
    candidates.addAll(accepted);
    return candidates;
  }

  /** Compares against every candidate, each in constant time, so timing tells nothing about which matched. */
  private static boolean matches(List<Keys> keys, byte[] message, byte[] mac, boolean registration) {
    if (mac == null) {
      return false;
    }
    boolean matched = false;
    for (Keys key : keys) {
      matched |= MessageDigest.isEqual(Hkdf.hmac(registration ? key.registration : key.proof, message), mac);
    }
    return matched;
  }

  @Override
  public String toString() {
    return "SharedSecrets[" + (own == null ? "none" : "set") + "]";
  }

  /** The keys made from one secret: one for handshake proofs, one for registration signatures. */
  private record Keys(byte[] proof, byte[] registration) {

    static Keys of(String property, String secret) {
      byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
      if (bytes.length < 16) {
        throw new FrpcConfigurationException(property, property + " must be at least 16 bytes long",
            "use a long random value, e.g. the output of 'openssl rand -base64 32'");
      }
      byte[] stretched = stretch(secret);
      return new Keys(stretched, Hkdf.expand(stretched, REGISTRATION_KEY, 32));
    }

    private static byte[] stretch(String secret) {
      PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), STRETCH_SALT, STRETCH_ITERATIONS, 256);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
      } finally {
        spec.clearPassword();
      }
    }
  }

  /**
   * What both sides of a connection settled on and announced: the largest message and the features.
   *
   * @param maxMessageSize largest message
   * @param features       protocol features
   */
  public record Terms(int maxMessageSize, Set<String> features) {
  }

  /**
   * What a proof covers, and what the frame keys are derived from: the protocol version, both nodes' name,
   * id and boot id, both nonces, both X25519 key shares, the terms the connecting node offered and those
   * the accepting node agreed to, and the TLS session's server certificate hash (empty without TLS). A relay
   * that changes any of it, strips a feature or sits between two TLS legs makes the proofs fail.
   *
   * @param protocolVersion the version both speak
   * @param client          the connecting node: name, id, boot id
   * @param server          the accepting node: name, id, boot id
   * @param clientNonce     the connecting node's fresh nonce
   * @param serverNonce     the accepting node's fresh nonce
   * @param clientKeyShare  the connecting node's X25519 public key
   * @param serverKeyShare  the accepting node's X25519 public key
   * @param offered         the connecting node's terms (HELLO)
   * @param agreed          the terms the accepting node agreed to (CHALLENGE)
   * @param tlsBinding      SHA-256 of the accepting node's TLS certificate, or empty without TLS
   */
  public record Transcript(int protocolVersion, Identity client, Identity server, byte[] clientNonce,
      byte[] serverNonce, byte[] clientKeyShare, byte[] serverKeyShare, Terms offered, Terms agreed,
      byte[] tlsBinding) {

    byte[] bytes(String role) {
      ByteBuffer out = ByteBuffer.allocate(1024 + client.size() + server.size() + clientNonce.length
          + serverNonce.length + size(offered) + size(agreed));
      field(out, "frpc-auth-v2");
      field(out, role);
      out.putInt(protocolVersion);
      client.writeTo(out);
      server.writeTo(out);
      field(out, clientNonce);
      field(out, serverNonce);
      field(out, clientKeyShare);
      field(out, serverKeyShare);
      writeTerms(out, offered);
      writeTerms(out, agreed);
      field(out, tlsBinding);
      byte[] bytes = new byte[out.position()];
      out.flip().get(bytes);
      return bytes;
    }

    /**
     * The keys that protect the connection's frames: HKDF-SHA256 over the X25519 shared secret, salted with
     * the hash of this transcript, one key per direction.
     */
    public SessionKeys sessionKeys(byte[] sharedSecret) {
      byte[] pseudorandomKey = Hkdf.extract(sha256(bytes("keys")), sharedSecret);
      return new SessionKeys(
          Hkdf.expand(pseudorandomKey, "frpc v2 client to server".getBytes(StandardCharsets.US_ASCII), 32),
          Hkdf.expand(pseudorandomKey, "frpc v2 server to client".getBytes(StandardCharsets.US_ASCII), 32));
    }

    private static int size(Terms terms) {
      int size = 8;
      for (String feature : terms.features()) {
        size += 4 + 4 * feature.length();
      }
      return size;
    }

    private static void writeTerms(ByteBuffer out, Terms terms) {
      out.putInt(terms.maxMessageSize());
      TreeSet<String> sorted = new TreeSet<>(terms.features());
      out.putInt(sorted.size());
      sorted.forEach(feature -> field(out, feature));
    }

    private static void field(ByteBuffer out, String text) {
      field(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(ByteBuffer out, byte[] bytes) {
      out.putInt(bytes.length).put(bytes);
    }
  }

  /**
   * The AES-256-GCM keys of one connection.
   *
   * @param clientToServer protects what the connecting node sends
   * @param serverToClient protects what the accepting node sends
   */
  public record SessionKeys(byte[] clientToServer, byte[] serverToClient) {
  }

  /**
   * A node as a handshake names it.
   *
   * @param name   node name
   * @param id     node id
   * @param bootId boot id
   */
  public record Identity(String name, int id, String bootId) {

    int size() {
      return 16 + 4 * (name.length() + bootId.length());
    }

    void writeTo(ByteBuffer out) {
      Transcript.field(out, name);
      out.putInt(id);
      Transcript.field(out, bootId);
    }
  }

  /** SHA-256 of {@code bytes}; also the TLS binding of a certificate (its DER encoding). */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}

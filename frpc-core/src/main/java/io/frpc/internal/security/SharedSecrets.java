package io.frpc.internal.security;

import io.frpc.FrpcConfigurationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secrets of a node and the proofs made with them. A handshake proves knowledge of a secret
 * with HMAC-SHA256 over a transcript that binds both identities (name, id, boot id), the protocol version
 * and fresh nonces from both sides, so a recorded proof is worthless in any other handshake. Secrets never
 * leave this class: not in proofs, messages or {@link #toString()}.
 */
public final class SharedSecrets {

  private static final String ALGORITHM = "HmacSHA256";
  private static final int NONCE_BYTES = 32;

  private final byte[] secret;
  private final List<byte[]> accepted;
  private final Map<String, byte[]> byNodeName;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param secret     this node's secret, or {@code null} for none (then nothing is authenticated)
   * @param accepted   further secrets accepted from peers, for rotation
   * @param byNodeName secrets this node uses towards nodes of a name (a cluster with another secret)
   */
  public SharedSecrets(String secret, List<String> accepted, Map<String, String> byNodeName) {
    this.secret = secret == null || secret.isEmpty() ? null : bytes("frpc.security.secret", secret);
    this.accepted = new ArrayList<>();
    for (String other : accepted) {
      this.accepted.add(bytes("frpc.security.accepted-secrets", other));
    }
    this.byNodeName = new HashMap<>();
    byNodeName.forEach((name, value) -> this.byNodeName.put(name, bytes("frpc.security.node-secrets." + name,
        value)));
    if (this.secret == null && !this.accepted.isEmpty()) {
      throw new FrpcConfigurationException("frpc.security.accepted-secrets", "frpc.security.accepted-secrets is set "
          + "without frpc.security.secret", "set frpc.security.secret, the secret this node proves itself with");
    }
  }

  /** No authentication. */
  public static SharedSecrets none() {
    return new SharedSecrets(null, List.of(), Map.of());
  }

  private static byte[] bytes(String property, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 16) {
      throw new FrpcConfigurationException(property, property + " must be at least 16 bytes long",
          "use a long random value, e.g. the output of 'openssl rand -base64 32'");
    }
    return bytes;
  }

  /** Whether this node authenticates the peers that connect to it. */
  public boolean serverRequiresAuthentication() {
    return secret != null;
  }

  /** Whether this node authenticates nodes named {@code nodeName} it connects to. */
  public boolean clientAuthenticates(String nodeName) {
    return byNodeName.containsKey(nodeName) || secret != null;
  }

  /** A fresh random nonce. */
  public byte[] nonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return nonce;
  }

  /** The accepting node's proof, made with its own secret. */
  public byte[] serverProof(Transcript transcript) {
    return hmac(secret, transcript.bytes("server"));
  }

  /** Whether {@code proof} is the accepting node's, made with a secret this node accepts towards it. */
  public boolean verifyServer(String serverName, Transcript transcript, byte[] proof) {
    return matches(candidates(clientSecret(serverName)), transcript.bytes("server"), proof);
  }

  /** The connecting node's proof towards nodes named {@code serverName}. */
  public byte[] clientProof(String serverName, Transcript transcript) {
    return hmac(clientSecret(serverName), transcript.bytes("client"));
  }

  /** Whether {@code proof} is a connecting node's, made with a secret this node accepts. */
  public boolean verifyClient(Transcript transcript, byte[] proof) {
    return matches(candidates(secret), transcript.bytes("client"), proof);
  }

  private byte[] clientSecret(String serverName) {
    byte[] specific = byNodeName.get(serverName);
    return specific != null ? specific : secret;
  }

  private List<byte[]> candidates(byte[] primary) {
    List<byte[]> candidates = new ArrayList<>();
    candidates.add(primary);
    candidates.addAll(accepted);
    return candidates;
  }

  /** Compares against every candidate, each in constant time, so timing tells nothing about which matched. */
  private static boolean matches(List<byte[]> keys, byte[] message, byte[] proof) {
    if (proof == null) {
      return false;
    }
    boolean matched = false;
    for (byte[] key : keys) {
      matched |= MessageDigest.isEqual(hmac(key, message), proof);
    }
    return matched;
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "SharedSecrets[" + (secret == null ? "none" : "set") + "]";
  }

  /**
   * What a proof covers: the protocol version, both nodes' name, id and boot id, and both nonces.
   *
   * @param protocolVersion the version both speak
   * @param client          the connecting node: name, id, boot id
   * @param server          the accepting node: name, id, boot id
   * @param clientNonce     the connecting node's fresh nonce
   * @param serverNonce     the accepting node's fresh nonce
   */
  public record Transcript(int protocolVersion, Identity client, Identity server, byte[] clientNonce,
      byte[] serverNonce) {

    byte[] bytes(String role) {
      ByteBuffer out = ByteBuffer.allocate(256 + client.size() + server.size() + clientNonce.length
          + serverNonce.length);
      field(out, "frpc-auth-hmac-sha256-v1");
      field(out, role);
      out.putInt(protocolVersion);
      client.writeTo(out);
      server.writeTo(out);
      field(out, clientNonce);
      field(out, serverNonce);
      byte[] bytes = new byte[out.position()];
      out.flip().get(bytes);
      return bytes;
    }

    private static void field(ByteBuffer out, String text) {
      field(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(ByteBuffer out, byte[] bytes) {
      out.putInt(bytes.length).put(bytes);
    }
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
}

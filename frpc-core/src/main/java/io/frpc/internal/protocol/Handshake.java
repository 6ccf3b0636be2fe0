package io.frpc.internal.protocol;

import java.util.Set;

/** Handshake frame bodies (Smile-encoded records; unknown fields are ignored for forward compatibility). */
public final class Handshake {

  private Handshake() {
  }

  /**
   * First frame of a connection, sent by the connecting node.
   *
   * @param protocolVersion version the sender speaks
   * @param name            sender node name
   * @param id              sender node id
   * @param bootId          sender boot id
   * @param maxMessageSize  largest message the sender accepts
   * @param features        optional protocol features the sender supports
   * @param nonce           fresh random bytes when the sender authenticates with a shared secret, else null
   * @param keyShare        the sender's ephemeral X25519 public key (32 bytes) when it authenticates, else null
   */
  public record Hello(int protocolVersion, String name, int id, String bootId, int maxMessageSize,
      Set<String> features, byte[] nonce, byte[] keyShare) {

    /** A HELLO of a node that does not authenticate. */
    public Hello(int protocolVersion, String name, int id, String bootId, int maxMessageSize,
        Set<String> features) {
      this(protocolVersion, name, id, bootId, maxMessageSize, features, null, null);
    }
  }

  /**
   * The accepting node's answer to a HELLO with a nonce, when it authenticates: who it is, its own nonce and
   * key share, the terms it agrees to, and its proof of the shared secret over all of it and the HELLO. The
   * HELLO_ACK that admits the node must repeat the same terms.
   *
   * @param name           accepting node name
   * @param id             accepting node id
   * @param bootId         accepting node boot id
   * @param nonce          fresh random bytes
   * @param proof          HMAC-SHA256 of the transcript, role "server"
   * @param keyShare       the accepting node's ephemeral X25519 public key (32 bytes)
   * @param maxMessageSize largest message both sides accept
   * @param features       features both sides support
   */
  public record Challenge(String name, int id, String bootId, byte[] nonce, byte[] proof, byte[] keyShare,
      int maxMessageSize, Set<String> features) {
  }

  /**
   * The connecting node's proof of the shared secret, role "client"; the accepting node admits it (HELLO_ACK)
   * or refuses it (HELLO_REJECT).
   *
   * @param proof HMAC-SHA256 of the transcript, role "client"
   */
  public record Auth(byte[] proof) {
  }

  /**
   * The accepting node's answer when it admits the connection.
   *
   * @param protocolVersion version both sides speak from now on
   * @param name            accepting node name
   * @param id              accepting node id
   * @param bootId          accepting node boot id
   * @param maxMessageSize  largest message the accepting node accepts
   * @param features        features both sides support
   */
  public record HelloAck(int protocolVersion, String name, int id, String bootId, int maxMessageSize,
      Set<String> features) {
  }

  /**
   * The accepting node's answer when it refuses the connection; it closes the connection after it.
   *
   * @param reason why, for the connecting node's log
   */
  public record HelloReject(String reason) {
  }
}

package io.frpc.discovery.redis;

import io.frpc.NodeId;
import io.frpc.discovery.RegistrationSignatures;
import io.frpc.internal.UntrustedText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The value of a registration key: a node's {@link NodeRegistration} as a JSON object and, when the node has a
 * secret, {@code sig}, the base64 signature of the registration's canonical content (docs/protocol.md,
 * "Registrations"). Reads values back from Redis and checks the signature where this node requires one.
 * Thread-safe.
 */
final class RegistrationCodec {

  /** Longest value read as a registration. */
  static final int MAX_VALUE_CHARS = 1024;
  private static final String SIGNATURE = "sig";
  private static final byte[] CONTEXT = "frpc registration v1".getBytes(StandardCharsets.US_ASCII);

  private final JsonMapper json;
  /** Reads registrations; one without a field added later (startedAt) takes its default. */
  private final ObjectReader registrations;
  private final RegistrationSignatures signatures;

  /**
   * A value to write.
   *
   * @param value  the JSON text
   * @param signed whether it carries a signature (this node has a secret)
   */
  record Encoded(String value, boolean signed) {
  }

  /**
   * What a value read from Redis holds.
   *
   * @param registration the registration, or {@code null} when the value is not one this node may use
   * @param problem      why it may not be used (completing "it ..."; safe to log), or {@code null}
   */
  record Decoded(NodeRegistration registration, String problem) {
  }

  RegistrationCodec(JsonMapper json, RegistrationSignatures signatures) {
    this.json = json;
    this.registrations = json.readerFor(NodeRegistration.class)
        .without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    this.signatures = signatures;
  }

  /** The value {@code node} writes under its key. */
  Encoded encode(NodeId node, NodeRegistration registration) {
    ObjectNode value = json.valueToTree(registration);
    byte[] signature = signatures.sign(content(node, registration));
    if (signature != null) {
      value.put(SIGNATURE, Base64.getEncoder().encodeToString(signature));
    }
    return new Encoded(json.writeValueAsString(value), signature != null);
  }

  /**
   * The registration in {@code value}, read under the key of {@code node}: a well-formed registration (any
   * protocol version) whose signature verifies where this node requires one for nodes of that name.
   */
  Decoded decode(NodeId node, String value) {
    if (value.length() > MAX_VALUE_CHARS) {
      return unusable("its value is " + value.length() + " characters, more than a registration's "
          + MAX_VALUE_CHARS);
    }
    NodeRegistration registration;
    JsonNode signature;
    try {
      if (!(json.readTree(value) instanceof ObjectNode fields)) {
        return unusable("is not a node registration (not a JSON object)");
      }
      signature = fields.remove(SIGNATURE);
      registration = registrations.readValue(fields);
    } catch (JacksonException e) {
      return unusable("is not a node registration (" + UntrustedText.escape(e.getOriginalMessage()) + ")");
    }
    String problem = registration.problem();
    if (problem != null) {
      return unusable("is unusable: " + problem);
    }
    if (!signatures.accepts(node.name(), content(node, registration), bytes(signature))) {
      return unusable(signature == null ? "is not signed with the shared secret"
          : "carries a signature that the shared secret does not verify");
    }
    return new Decoded(registration, null);
  }

  /**
   * The fields of {@code value} as they are, checked or not, signature ignored, for reporting what another writer
   * put under a key; {@code null} when it is not a JSON registration at all.
   */
  NodeRegistration fieldsOf(String value) {
    if (value.length() > MAX_VALUE_CHARS) {
      return null;
    }
    try {
      return json.readTree(value) instanceof ObjectNode fields ? registrations.readValue(fields) : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  private static Decoded unusable(String problem) {
    return new Decoded(null, problem);
  }

  /** The signature's bytes; empty (never verifies) when it is not base64 text, {@code null} when absent. */
  private static byte[] bytes(JsonNode signature) {
    if (signature == null) {
      return null;
    }
    try {
      return signature.isString() ? Base64.getDecoder().decode(signature.stringValue()) : new byte[0];
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  /**
   * What is signed: a context string, the node's name and id (from its key, so a value copied under another key
   * does not verify), host, port, TLS, protocol version, boot id and start time. Text fields are UTF-8 after
   * their length (4 bytes), numbers 4 bytes and the start time 8, big-endian; TLS one byte.
   */
  static byte[] content(NodeId node, NodeRegistration registration) {
    byte[] name = node.name().getBytes(StandardCharsets.UTF_8);
    byte[] host = registration.host().getBytes(StandardCharsets.UTF_8);
    byte[] bootId = registration.bootId().getBytes(StandardCharsets.UTF_8);
    ByteBuffer content = ByteBuffer.allocate(4 * 7 + 1 + 8 + CONTEXT.length + name.length + host.length
        + bootId.length);
    content.putInt(CONTEXT.length).put(CONTEXT);
    content.putInt(name.length).put(name);
    content.putInt(node.id());
    content.putInt(host.length).put(host);
    content.putInt(registration.port());
    content.put((byte) (registration.tls() ? 1 : 0));
    content.putInt(registration.protocolVersion());
    content.putInt(bootId.length).put(bootId);
    content.putLong(registration.startedAt());
    return content.array();
  }
}

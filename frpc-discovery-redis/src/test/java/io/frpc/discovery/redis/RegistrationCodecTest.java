package io.frpc.discovery.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.NodeId;
import io.frpc.discovery.RegistrationSignatures;
import io.frpc.internal.security.SharedSecrets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Signed registration values, as docs/protocol.md ("Registrations") describes them. */
class RegistrationCodecTest {

  // stretching a secret takes a fraction of a second: once for the class
  private static final RegistrationSignatures CLUSTER = signatures("the-secret-of-this-cluster", List.of());
  private static final RegistrationSignatures OTHER_CLUSTER = signatures("the-secret-of-another-cluster", List.of());
  private static final RegistrationSignatures ROTATING = signatures("the-next-secret-of-this-cluster",
      List.of("the-secret-of-this-cluster"));

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final NodeId GAME_1 = new NodeId("game", 1);
  private static final NodeRegistration REGISTRATION = new NodeRegistration("10.0.0.11", 9688, false, 1, "boot-1");

  private final RegistrationCodec codec = new RegistrationCodec(JSON, CLUSTER);

  @Test
  void aSignedValueReadsBackUnderItsOwnKey() {
    RegistrationCodec.Encoded encoded = codec.encode(GAME_1, REGISTRATION);

    assertThat(encoded.signed()).isTrue();
    assertThat(encoded.value()).contains("\"sig\":\"");
    assertThat(codec.decode(GAME_1, encoded.value())).isEqualTo(new RegistrationCodec.Decoded(REGISTRATION, null));
  }

  @Test
  void aSignedValueCopiedUnderAnotherNodesKeyDoesNotVerify() {
    String value = codec.encode(GAME_1, REGISTRATION).value();

    assertThat(codec.decode(new NodeId("game", 2), value).problem()).contains("does not verify");
    assertThat(codec.decode(new NodeId("chat", 1), value).problem()).contains("does not verify");
  }

  @Test
  void aSignedValueWithAChangedFieldDoesNotVerify() {
    String value = codec.encode(GAME_1, REGISTRATION).value();

    assertThat(codec.decode(GAME_1, value.replace("9688", "9689")).problem()).contains("does not verify");
    assertThat(codec.decode(GAME_1, value.replace("10.0.0.11", "10.0.0.66")).problem()).contains("does not verify");
    assertThat(codec.decode(GAME_1, value.replace("\"tls\":false", "\"tls\":true")).problem())
        .contains("does not verify");
  }

  @Test
  void aValueSignedWithAnotherSecretOrNotBase64DoesNotVerify() {
    String foreign = new RegistrationCodec(JSON, OTHER_CLUSTER).encode(GAME_1, REGISTRATION).value();
    String unsigned = new RegistrationCodec(JSON, RegistrationSignatures.NONE).encode(GAME_1, REGISTRATION).value();

    assertThat(codec.decode(GAME_1, foreign).problem()).contains("does not verify");
    assertThat(codec.decode(GAME_1, unsigned.replace("}", ",\"sig\":\"not base64!\"}")).problem())
        .contains("does not verify");
    assertThat(codec.decode(GAME_1, unsigned.replace("}", ",\"sig\":42}")).problem()).contains("does not verify");
  }

  @Test
  void anUnsignedValueIsRefusedWithASecretForTheNameAndUsedWithout() {
    RegistrationCodec unsigning = new RegistrationCodec(JSON, RegistrationSignatures.NONE);
    RegistrationCodec.Encoded unsigned = unsigning.encode(GAME_1, REGISTRATION);

    assertThat(unsigned.signed()).isFalse();
    assertThat(unsigned.value()).doesNotContain("sig");
    assertThat(codec.decode(GAME_1, unsigned.value()).problem()).isEqualTo("is not signed with the shared secret");
    assertThat(unsigning.decode(GAME_1, unsigned.value()).registration()).isEqualTo(REGISTRATION);
  }

  @Test
  void aValueSignedWithAnAcceptedSecretVerifiesDuringARotation() {
    String old = codec.encode(GAME_1, REGISTRATION).value();

    assertThat(new RegistrationCodec(JSON, ROTATING).decode(GAME_1, old).registration()).isEqualTo(REGISTRATION);
  }

  @Test
  void junkIsNamedWithoutEchoingControlCharacters() {
    assertThat(codec.decode(GAME_1, "x".repeat(1025)).problem()).contains("more than a registration's 1024");
    assertThat(codec.decode(GAME_1, "[1]").problem()).isEqualTo("is not a node registration (not a JSON object)");
    assertThat(codec.decode(GAME_1, "{\"host\":\"h\nINFO forged").problem()).startsWith("is not a node registration")
        .doesNotContain("\n");
  }

  @Test
  void theSignedContentIsTheDocumentedSequenceOfLengthPrefixedFields() {
    ByteBuffer expected = ByteBuffer.allocate(256);
    text(expected, "frpc registration v1");
    text(expected, "game");
    expected.putInt(1);
    text(expected, "10.0.0.11");
    expected.putInt(9688);
    expected.put((byte) 0);
    expected.putInt(1);
    text(expected, "boot-1");
    expected.putLong(0);
    byte[] bytes = new byte[expected.position()];
    expected.flip().get(bytes);

    assertThat(RegistrationCodec.content(GAME_1, REGISTRATION)).isEqualTo(bytes);
  }

  private static void text(ByteBuffer out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.putInt(bytes.length).put(bytes);
  }

  private static RegistrationSignatures signatures(String secret, List<String> accepted) {
    return new SharedSecrets(secret, accepted, Map.of());
  }
}

package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Node names are 1 to 255 ASCII letters, digits, {@code _}, {@code -} and {@code .}, and ids are not
 * negative: names end up in Redis keys, log lines and {@code name:id} strings, so a name that could forge a
 * log line, hide itself or break a key is refused at start-up, naming the property and the rule.
 */
class NodeNameRuleTest {

  @ParameterizedTest
  @ValueSource(strings = {"game", "cluster_server", "frpc_client", "bench-client", "chat.eu-1", "G4me",
      "0", "_", "-", "."})
  void namesOfLettersDigitsUnderscoresDashesAndDotsAreAccepted(String name) {
    assertThat(FrpcNode.builder(name, 0).serve(false).build()).satisfies(FrpcNode::close);
  }

  @Test
  void aNameOf255CharactersIsAcceptedAndOneOf256IsNot() {
    FrpcNode.builder("n".repeat(255), 1).serve(false).build().close();

    assertThatThrownBy(() -> FrpcNode.builder("n".repeat(256), 1))
        .isInstanceOf(FrpcConfigurationException.class).hasMessageContaining("1 to 255 ASCII letters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"game\r\nINFO forged line", "game\n", "\u001b[31mgame", "game\u202Eevil", "ga\u200Bme",
      "game\u0000", "game:2", "game*", "chat room", "gämé", "game\uD800"})
  void aNameWithAControlBidiZeroWidthOrNonAsciiCharacterOrAColonIsRefusedAtStartUp(String name) {
    assertThatThrownBy(() -> FrpcNode.builder(name, 1))
        .isInstanceOfSatisfying(FrpcConfigurationException.class, e -> {
          assertThat(e.property()).isEqualTo("frpc.node.name");
          assertThat(e.getMessage()).contains("frpc.node.name must be 1 to 255 ASCII letters, digits, '_', '-' and '.'")
              .doesNotContainPattern("[\\p{Cc}\\p{Cf}\\p{Cs}]");
        });
  }

  @Test
  void aNegativeIdIsRefusedAtStartUp() {
    assertThatThrownBy(() -> FrpcNode.builder("game", -1))
        .isInstanceOfSatisfying(FrpcConfigurationException.class, e -> {
          assertThat(e.property()).isEqualTo("frpc.node.id");
          assertThat(e.getMessage()).contains("frpc.node.id must not be negative but was -1");
        });
  }

  @Test
  void staticDiscoveryRefusesANameOrIdOutsideTheRule() {
    HostPort address = new HostPort("127.0.0.1", 9688);

    assertThatThrownBy(() -> new StaticNodeDiscovery(Map.of(new NodeId("game\r\nforged", 1), address)))
        .isInstanceOf(FrpcConfigurationException.class).hasMessageContaining("frpc.discovery.static.nodes");
    assertThatThrownBy(() -> new StaticNodeDiscovery(Map.of(new NodeId("game", -2), address)))
        .isInstanceOf(FrpcConfigurationException.class).hasMessageContaining("must not be negative");
  }
}

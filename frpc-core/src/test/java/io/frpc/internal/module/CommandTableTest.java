package io.frpc.internal.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.FrpcCommand;
import io.frpc.internal.protocol.PayloadCodec;
import org.junit.jupiter.api.Test;

/** How handler methods become commands. */
class CommandTableTest {

  private final PayloadCodec codec = new PayloadCodec();

  public static class Handler {
    public String ping() {
      return "pong";
    }

    @FrpcCommand("large_msg")
    public int largeMessage(int size) {
      return size;
    }

    public static void utility() {
    }

    void packagePrivate() {
    }
  }

  public static class Overloaded {
    public void hello(String who) {
    }

    public void hello(int times) {
    }
  }

  @Test
  void publicInstanceMethodsAreCommandsNamedLikeTheMethodOrTheirAnnotation() {
    CommandTable table = CommandTable.of("test_m", Handler.class, codec);

    assertThat(table.names()).containsExactly("large_msg", "ping");
    assertThat(table.find("ping")).isNotNull();
    assertThat(table.find("largeMessage")).isNull();
    assertThat(table.find("utility")).isNull();
    assertThat(table.find("packagePrivate")).isNull();
    assertThat(table.find("toString")).as("methods of Object are not commands").isNull();
  }

  @Test
  void overloadedCommandNamesAreAStartupErrorThatSaysHowToFixIt() {
    assertThatThrownBy(() -> CommandTable.of("test_m", Overloaded.class, codec))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("module 'test_m'")
        .hasMessageContaining("command 'hello' twice")
        .hasMessageContaining("hello(String)")
        .hasMessageContaining("hello(int)")
        .hasMessageContaining("@FrpcCommand");
  }
}

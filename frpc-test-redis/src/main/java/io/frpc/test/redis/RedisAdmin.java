package io.frpc.test.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs any command on any Redis process (a data server, a Cluster node or a Sentinel) over a short-lived
 * connection (RESP2), rendering the reply as text the way {@link TestRedis#execute(String...)} documents. For
 * deployments of several processes ({@link RedisProcess}); a single server has {@link TestRedis#execute(String...)}.
 *
 * <p>Thread-safe. Holds one Lettuce client; {@linkplain #close() close} it when done.
 */
public final class RedisAdmin implements AutoCloseable {

  private final RedisClient client = RedisClient.create();

  /** A new admin client; it connects only for each {@link #execute(String, int, String...)}. */
  public RedisAdmin() {
    client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).autoReconnect(false).build());
  }

  /**
   * Runs a command on the Redis process at {@code host:port}, e.g.
   * {@code execute("127.0.0.1", port, "CLUSTER", "INFO")}.
   *
   * @param host the process's host
   * @param port the process's port
   * @param command the command name followed by its arguments
   * @return the reply rendered as {@link TestRedis#execute(String...)} describes
   * @throws io.lettuce.core.RedisCommandExecutionException if Redis answers with an error
   * @throws io.lettuce.core.RedisConnectionException if nothing answers at {@code host:port}
   */
  public String execute(String host, int port, String... command) {
    RedisURI uri = RedisURI.builder().withHost(host).withPort(port)
        .withTimeout(Duration.ofSeconds(10)).build();
    try (StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, uri)) {
      return dispatch(connection.sync(), command);
    }
  }

  /** Runs {@code command} (name, then arguments) on {@code redis}. */
  static String dispatch(RedisCommands<String, String> redis, String... command) {
    if (command == null || command.length == 0 || command[0] == null || command[0].isBlank()) {
      throw new IllegalArgumentException("execute needs a command name, e.g. execute(\"PING\")");
    }
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
    for (int i = 1; i < command.length; i++) {
      args.add(command[i]);
    }
    return redis.dispatch(new RawCommand(command[0]), new RenderedOutput(), args);
  }

  /** Shuts the client down. */
  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  /** A command name as Lettuce protocol keyword. */
  private static final class RawCommand implements ProtocolKeyword {
    private final String name;

    RawCommand(String name) {
      this.name = name;
    }

    @Override
    public byte[] getBytes() {
      return name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Renders any reply as a string: scalars as text, arrays flattened and joined by newlines. */
  private static final class RenderedOutput extends CommandOutput<String, String, String> {
    private final List<String> elements = new ArrayList<>();
    private boolean array;
    private boolean nilArray;

    RenderedOutput() {
      super(StringCodec.UTF8, null);
    }

    @Override
    public void set(ByteBuffer bytes) {
      add(bytes == null ? null : StandardCharsets.UTF_8.decode(bytes).toString());
    }

    @Override
    public void setSingle(ByteBuffer bytes) {
      set(bytes);
    }

    @Override
    public void setBigNumber(ByteBuffer bytes) {
      set(bytes);
    }

    @Override
    public void set(long integer) {
      add(Long.toString(integer));
    }

    @Override
    public void set(double number) {
      add(Double.toString(number));
    }

    @Override
    public void set(boolean value) {
      add(Boolean.toString(value));
    }

    @Override
    public void multi(int count) {
      if (!array) {
        array = true;
        nilArray = count < 0;
      }
    }

    private void add(String value) {
      if (array) {
        elements.add(value == null ? "" : value);
      } else {
        output = value;
      }
    }

    @Override
    public String get() {
      if (!array) {
        return output;
      }
      return nilArray ? null : String.join("\n", elements);
    }
  }
}

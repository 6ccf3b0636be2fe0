package io.frpc.discovery.redis;

import io.frpc.NodeId;
import io.frpc.discovery.RegistrationSignatures;
import io.frpc.internal.protocol.FrameType;
import io.frpc.time.FrpcClock;
import java.util.concurrent.Executor;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * frpc's own registrar for one node identity, without a node: tests register nodes by hand with it, and the scale
 * benchmark registers a thousand simulated nodes over shared connections. The keys, values (unsigned) and
 * refreshes are a real node's, for a listener at {@code 127.0.0.1:port}.
 */
public final class StandaloneRegistration implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final RedisNodeRegistrar registrar;

  /**
   * @param tls    whether the registration says the listener speaks TLS
   * @param clock  paces the refreshes
   * @param thread runs every refresh; blocking it freezes the registration like a hung process
   */
  public StandaloneRegistration(NodeId node, int port, String bootId, boolean tls, RedisDiscoverySettings settings,
      StringRedisTemplate redis, FrpcClock clock, Executor thread) {
    registrar = new RedisNodeRegistrar(node, new NodeRegistration("127.0.0.1", port, tls, FrameType.PROTOCOL_VERSION,
        bootId), settings, new RedisRegistrationStore(redis), new RegistrationCodec(JSON, RegistrationSignatures.NONE),
        clock, thread);
  }

  /** Registers now, in the background, and refreshes every refresh interval. */
  public StandaloneRegistration start() {
    registrar.start();
    return this;
  }

  /** Where the registration stands. */
  public RedisNodeDiscovery.RegistrationState state() {
    return registrar.state();
  }

  /** Stops refreshing and deletes the key if it still holds this registration. */
  @Override
  public void close() {
    registrar.close();
  }
}

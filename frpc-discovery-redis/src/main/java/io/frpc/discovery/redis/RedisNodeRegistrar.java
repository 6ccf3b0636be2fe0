package io.frpc.discovery.redis;

import io.frpc.NodeId;
import io.frpc.discovery.RegistrationSignatures;
import io.frpc.internal.UntrustedText;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps this node's registration key alive: claims it with {@code SET NX PX}, then renews its TTL every
 * refresh interval with one script that extends the key only while it still holds this process's value
 * (one command per second; a renewal changes no value, so watchers have nothing to read). A key that
 * vanished (expired, deleted, flushed, Redis restarted) is claimed again on the next refresh. With a secret,
 * the value is signed, and a key holding a value whose signature does not verify (unsigned, signed with another
 * key, junk) is a write by someone outside the cluster: it is taken back at once. A key holding the registration
 * of another process under the same name and id (a registration that verifies, or without a secret any
 * well-formed one) is a conflict, logged as an ERROR with both boot ids by both processes: the process that
 * started first keeps the identity and takes the key back, the other is not renewed and stays unregistered. A
 * value that is not a registration, without a secret, is never overwritten: this node waits until it expires.
 */
public final class RedisNodeRegistrar implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisNodeRegistrar.class);
  private static final RedisScript<Long> DELETE_IF_OURS = RedisScript.of(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
      Long.class);
  /** "+": renewed; "-": the key is gone; "=" followed by the value another writer put there. */
  private static final RedisScript<String> RENEW_IF_OURS = RedisScript.of(
      "local v = redis.call('get', KEYS[1]) "
          + "if v == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return '+' end "
          + "if not v then return '-' end "
          + "return '=' .. v", String.class);
  /** Replaces the value ARGV[1] with ARGV[2] (TTL ARGV[3] ms) only if the key still holds ARGV[1]. */
  private static final RedisScript<Long> REPLACE_IF_HOLDS = RedisScript.of(
      "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 "
          + "end return 0", Long.class);
  private static final long CONFLICT_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** Where the registrar stands; read by health reporting. */
  public enum State { STARTING, REGISTERED, CONFLICT, REDIS_UNAVAILABLE, STOPPED }

  private final NodeId node;
  private final NodeRegistration registration;
  private final String key;
  private final String value;
  /** Whether the value is signed, and foreign values that do not verify are taken back. */
  private final boolean signed;
  private final String bootId;
  private final RedisDiscoverySettings settings;
  private final StringRedisTemplate redis;
  private final RegistrationCodec codec;
  private final ScheduledExecutorService scheduler;
  private volatile State state = State.STARTING;
  private boolean claimed;
  private long conflictSince;
  private long lastConflictReport;
  private long lastTakeBackReport;
  private int takenBackSinceReport;
  private ScheduledFuture<?> refreshing;

  /**
   * @param signatures signs the value (when this node has a secret) and checks foreign values
   * @param scheduler  runs the refreshes; a frozen scheduler is exactly a hung node
   */
  public RedisNodeRegistrar(NodeId node, NodeRegistration registration, RedisDiscoverySettings settings,
      StringRedisTemplate redis, JsonMapper json, RegistrationSignatures signatures,
      ScheduledExecutorService scheduler) {
    this.node = node;
    this.registration = registration;
    this.key = settings.key(node);
    this.codec = new RegistrationCodec(json, signatures);
    RegistrationCodec.Encoded encoded = codec.encode(node, registration);
    this.value = encoded.value();
    this.signed = encoded.signed();
    this.bootId = registration.bootId();
    this.settings = settings;
    this.redis = redis;
    this.scheduler = scheduler;
  }

  /** Registers now (in the background) and keeps refreshing. Never blocks on Redis. */
  public synchronized void start() {
    if (refreshing == null) {
      refreshing = scheduler.scheduleWithFixedDelay(this::refresh, 0, settings.refreshInterval().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Current state. */
  public State state() {
    return state;
  }

  /** Stops refreshing and deletes the key if it is still this process's, so watchers see the node leave at once. */
  @Override
  public void close() {
    synchronized (this) {
      if (refreshing != null) {
        refreshing.cancel(false);
      }
    }
    try {
      scheduler.submit(this::deregister).get(settings.ttl().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("Could not deregister {} from Redis; its key expires within {} ms", node, settings.ttl().toMillis());
    }
    state = State.STOPPED;
  }

  private void deregister() {
    Long deleted = redis.execute(DELETE_IF_OURS, List.of(key), value);
    if (deleted != null && deleted > 0) {
      log.info("Deregistered {} from Redis ({})", node, key);
    }
  }

  private void refresh() {
    try {
      if (claimed) {
        String renewed = redis.execute(RENEW_IF_OURS, List.of(key), value,
            Long.toString(settings.ttl().toMillis()));
        if ("+".equals(renewed)) {
          state = State.REGISTERED;
          return;
        }
        claimed = false;
        if (renewed != null && renewed.startsWith("=")) {
          foreignValue(renewed.substring(1));
          return;
        }
        log.info("Registration {} vanished from Redis (expired, deleted or flushed); registering again", key);
      }
      claim();
    } catch (DataAccessException | IllegalStateException e) {
      if (state != State.REDIS_UNAVAILABLE) {
        log.warn("Redis unavailable, cannot refresh registration {}: {}; calls between connected nodes continue",
            key, e.getMessage());
      }
      state = State.REDIS_UNAVAILABLE;
    }
  }

  private void claim() {
    if (Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key, value, settings.ttl()))) {
      claimed = true;
      conflictSince = 0;
      state = State.REGISTERED;
      log.info("Registered {} in Redis as {} = {}", node, key, value);
      return;
    }
    String current = redis.opsForValue().get(key);
    if (current == null) {
      return;
    }
    if (current.equals(value)) {
      // Our own earlier claim succeeded although its answer was lost.
      claimed = true;
      state = State.REGISTERED;
      return;
    }
    foreignValue(current);
  }

  /**
   * The key holds {@code current}, not this process's value: taken back when it does not verify (this node signs),
   * else a conflict with another process.
   */
  private void foreignValue(String current) {
    RegistrationCodec.Decoded decoded = codec.decode(node, current);
    if (decoded.registration() != null && registration.startedBefore(decoded.registration())) {
      if (takeBack(current)) {
        reportTakenFromLaterProcess(decoded.registration());
      }
      return;
    }
    String problem = signed ? decoded.problem() : null;
    if (problem == null) {
      reportConflict(current);
      return;
    }
    if (!takeBack(current)) {
      return;
    }
    long now = System.nanoTime();
    if (lastTakeBackReport == 0 || now - lastTakeBackReport > CONFLICT_REPORT_INTERVAL_NANOS) {
      log.warn("Key {} held a foreign value that {} (a write by someone without the shared secret); took it "
          + "back{}", key, problem, takenBackSinceReport == 0 ? ""
              : " (taken back " + takenBackSinceReport + " more time(s) since the last warning)");
      lastTakeBackReport = now;
      takenBackSinceReport = 0;
    } else {
      takenBackSinceReport++;
      log.debug("Key {} held a foreign value that {}; took it back", key, problem);
    }
  }

  /** Replaces {@code current} by this process's value; false when the key changed meanwhile (looked at again later). */
  private boolean takeBack(String current) {
    if (!Long.valueOf(1).equals(redis.execute(REPLACE_IF_HOLDS, List.of(key), current, value,
        Long.toString(settings.ttl().toMillis())))) {
      return false;
    }
    claimed = true;
    conflictSince = 0;
    state = State.REGISTERED;
    return true;
  }

  private void reportTakenFromLaterProcess(NodeRegistration later) {
    long now = System.nanoTime();
    if (lastConflictReport == 0 || now - lastConflictReport > CONFLICT_REPORT_INTERVAL_NANOS) {
      lastConflictReport = now;
      log.error("Two live processes claim node {}: another process ({}) registered under key {}. This process "
          + "(boot id {}) started first and keeps the identity: it took the key back; stop the other process or give "
          + "it its own frpc.node.id.", node, UntrustedText.escape("boot id " + later.bootId() + " at "
          + later.host() + ":" + later.port()), key, bootId);
    }
  }

  private void reportConflict(String current) {
    long now = System.nanoTime();
    if (state == State.REGISTERED) {
      lastConflictReport = now;
      conflictSince = now;
      log.error("Registration {} of node {} was overwritten by {} while this process (boot id {}) held it. It is "
          + "not renewed: this process is NOT registered and gets no discovered traffic until the key is free "
          + "(of two processes under one identity, the one that started first keeps it).",
          key, node, describe(current), bootId);
    } else if (conflictSince == 0) {
      conflictSince = now;
      log.warn("Key {} is held by another process ({}); waiting up to {} ms for it to expire", key,
          describe(current), settings.grace().toMillis());
    } else if (now - conflictSince > settings.grace().toNanos()
        && (lastConflictReport == 0 || now - lastConflictReport > CONFLICT_REPORT_INTERVAL_NANOS)) {
      lastConflictReport = now;
      log.error("Two live processes claim node {}: another process ({}) keeps key {} alive. This process (boot id"
          + " {}) is NOT registered and gets no discovered traffic; give each process its own frpc.node.id.",
          node, describe(current), key, bootId);
    }
    state = State.CONFLICT;
  }

  /** What another writer put under the key, escaped: whoever wrote it chose every character. */
  private String describe(String registration) {
    NodeRegistration other = codec.fieldsOf(registration);
    return other == null ? "a value that is not a registration"
        : UntrustedText.escape("boot id " + other.bootId() + " at " + other.host() + ":" + other.port());
  }
}

package io.frpc.discovery.redis;

import io.frpc.NodeId;
import io.frpc.discovery.redis.RedisNodeDiscovery.RegistrationState;
import io.frpc.internal.UntrustedText;
import io.frpc.time.FrpcClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

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
final class RedisNodeRegistrar implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisNodeRegistrar.class);
  private static final long CONFLICT_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** A time that never happened: no conflict yet, nothing reported yet. */
  private static final long NEVER = Long.MIN_VALUE;

  private final NodeId node;
  private final NodeRegistration registration;
  private final String key;
  private final String value;
  /** Whether the value is signed, and foreign values that do not verify are taken back. */
  private final boolean signed;
  private final String bootId;
  private final RedisDiscoverySettings settings;
  private final RegistrationStore redis;
  private final RegistrationCodec codec;
  private final FrpcClock clock;
  /** The registrar's thread, where every refresh runs: a frozen thread is exactly a hung node. */
  private final Executor executor;
  private final ClockedExecutor thread;
  private volatile RegistrationState state = RegistrationState.STARTING;
  private boolean started;
  // Owned by the registrar's thread.
  private boolean claimed;
  private long conflictSince = NEVER;
  private long lastConflictReport = NEVER;
  private long lastTakeBackReport = NEVER;
  private int takenBackSinceReport;

  /**
   * @param redis  where the key lives
   * @param codec  encodes the value, signed when this node has a secret, and checks foreign values
   * @param clock  paces the refreshes and the reports
   * @param thread runs the refreshes and the deregistration, one at a time
   */
  RedisNodeRegistrar(NodeId node, NodeRegistration registration, RedisDiscoverySettings settings,
      RegistrationStore redis, RegistrationCodec codec, FrpcClock clock, Executor thread) {
    this.node = node;
    this.registration = registration;
    this.key = settings.key(node);
    this.codec = codec;
    RegistrationCodec.Encoded encoded = codec.encode(node, registration);
    this.value = encoded.value();
    this.signed = encoded.signed();
    this.bootId = registration.bootId();
    this.settings = settings;
    this.redis = redis;
    this.clock = clock;
    this.executor = thread;
    this.thread = new ClockedExecutor(clock, thread);
  }

  /** Registers now (in the background) and refreshes every refresh interval. Never blocks on Redis. */
  synchronized void start() {
    if (!started) {
      started = true;
      thread.execute(() -> {
        try {
          refresh();
        } finally {
          thread.scheduleWithFixedDelay(this::refresh, settings.refreshInterval());
        }
      });
    }
  }

  /** Current state. */
  RegistrationState state() {
    return state;
  }

  /** Stops refreshing and deletes the key if it is still this process's, so watchers see the node leave at once. */
  @Override
  public void close() {
    thread.close();
    try {
      CompletableFuture.runAsync(this::deregister, executor).get(settings.ttl().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("Could not deregister {} from Redis; its key expires within {} ms", node, settings.ttl().toMillis());
    }
    state = RegistrationState.STOPPED;
  }

  private void deregister() {
    if (redis.deleteIfHolds(key, value)) {
      log.info("Deregistered {} from Redis ({})", node, key);
    }
  }

  private void refresh() {
    try {
      if (claimed) {
        String renewed = redis.renewIfHolds(key, value, settings.ttl());
        if ("+".equals(renewed)) {
          state = RegistrationState.REGISTERED;
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
      if (state != RegistrationState.REDIS_UNAVAILABLE) {
        log.warn("Redis unavailable, cannot refresh registration {}: {}; calls between connected nodes continue",
            key, e.getMessage());
      }
      state = RegistrationState.REDIS_UNAVAILABLE;
    }
  }

  private void claim() {
    if (redis.claim(key, value, settings.ttl())) {
      claimed = true;
      conflictSince = NEVER;
      state = RegistrationState.REGISTERED;
      log.info("Registered {} in Redis as {} = {}", node, key, value);
      return;
    }
    String current = redis.get(key);
    if (current == null) {
      return;
    }
    if (current.equals(value)) {
      // Our own earlier claim succeeded although its answer was lost.
      claimed = true;
      state = RegistrationState.REGISTERED;
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
    long now = clock.nanoTime();
    if (lastTakeBackReport == NEVER || now - lastTakeBackReport > CONFLICT_REPORT_INTERVAL_NANOS) {
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
    if (!redis.replaceIfHolds(key, current, value, settings.ttl())) {
      return false;
    }
    claimed = true;
    conflictSince = NEVER;
    state = RegistrationState.REGISTERED;
    return true;
  }

  private void reportTakenFromLaterProcess(NodeRegistration later) {
    long now = clock.nanoTime();
    if (lastConflictReport == NEVER || now - lastConflictReport > CONFLICT_REPORT_INTERVAL_NANOS) {
      lastConflictReport = now;
      log.error("Two live processes claim node {}: another process ({}) registered under key {}. This process "
          + "(boot id {}) started first and keeps the identity: it took the key back; stop the other process or give "
          + "it its own frpc.node.id.", node, UntrustedText.escape("boot id " + later.bootId() + " at "
          + later.host() + ":" + later.port()), key, bootId);
    }
  }

  private void reportConflict(String current) {
    long now = clock.nanoTime();
    if (state == RegistrationState.REGISTERED) {
      lastConflictReport = now;
      conflictSince = now;
      log.error("Registration {} of node {} was overwritten by {} while this process (boot id {}) held it. It is "
          + "not renewed: this process is NOT registered and gets no discovered traffic until the key is free "
          + "(of two processes under one identity, the one that started first keeps it).",
          key, node, describe(current), bootId);
    } else if (conflictSince == NEVER) {
      conflictSince = now;
      log.warn("Key {} is held by another process ({}); waiting up to {} ms for it to expire", key,
          describe(current), settings.grace().toMillis());
    } else if (now - conflictSince > settings.grace().toNanos()
        && (lastConflictReport == NEVER || now - lastConflictReport > CONFLICT_REPORT_INTERVAL_NANOS)) {
      lastConflictReport = now;
      log.error("Two live processes claim node {}: another process ({}) keeps key {} alive. This process (boot id"
          + " {}) is NOT registered and gets no discovered traffic; give each process its own frpc.node.id.",
          node, describe(current), key, bootId);
    }
    state = RegistrationState.CONFLICT;
  }

  /** What another writer put under the key, escaped: whoever wrote it chose every character. */
  private String describe(String registration) {
    NodeRegistration other = codec.fieldsOf(registration);
    return other == null ? "a value that is not a registration"
        : UntrustedText.escape("boot id " + other.bootId() + " at " + other.host() + ":" + other.port());
  }
}

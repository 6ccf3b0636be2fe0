package io.frpc.spring.autoconfigure;

import io.frpc.observability.FrpcObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records frpc's measurements as Micrometer meters: timers {@code frpc.client.calls} (tags node, module,
 * command, outcome) and {@code frpc.server.requests} (module, command, outcome), counters
 * {@code frpc.client.sends} (node, module, command, outcome), {@code frpc.client.retries} (node, module, command,
 * kind), {@code frpc.client.retries.denied} (node, module, command) and {@code frpc.server.connections.refused}
 * (reason). Meters are looked up once per tag combination.
 */
final class MicrometerFrpcObserver implements FrpcObserver {

  private final MeterRegistry registry;
  private final Map<Tags, Timer> calls = new ConcurrentHashMap<>();
  private final Map<Tags, Counter> sends = new ConcurrentHashMap<>();
  private final Map<Tags, Timer> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final Map<Tags, Counter> retries = new ConcurrentHashMap<>();
  private final Map<Tags, Counter> retriesDenied = new ConcurrentHashMap<>();

  MicrometerFrpcObserver(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void callCompleted(String nodeName, String module, String command, String outcome, long nanos) {
    calls.computeIfAbsent(new Tags(nodeName, module, command, outcome), tags -> Timer.builder("frpc.client.calls")
        .description("Calls to other nodes, by node name, module, command and outcome")
        .tags("node", tags.node(), "module", tags.module(), "command", tags.command(), "outcome", tags.outcome())
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void sendCompleted(String nodeName, String module, String command, String outcome) {
    sends.computeIfAbsent(new Tags(nodeName, module, command, outcome), tags -> Counter.builder("frpc.client.sends")
        .description("Sends to other nodes, by node name, module, command and whether they were written")
        .tags("node", tags.node(), "module", tags.module(), "command", tags.command(), "outcome", tags.outcome())
        .register(registry)).increment();
  }

  @Override
  public void callRetried(String nodeName, String module, String command, String kind) {
    retries.computeIfAbsent(new Tags(nodeName, module, command, kind), tags -> Counter.builder("frpc.client.retries")
        .description("Extra attempts of calls: FAILOVER (the last attempt did not run), RETRY (it may have run; "
            + "idempotent call) or HEDGE")
        .tags("node", tags.node(), "module", tags.module(), "command", tags.command(), "kind", tags.outcome())
        .register(registry)).increment();
  }

  @Override
  public void retryDenied(String nodeName, String module, String command) {
    retriesDenied.computeIfAbsent(new Tags(nodeName, module, command, null), tags -> Counter
        .builder("frpc.client.retries.denied")
        .description("Retries and hedges the retry budget refused; the call failed with its last error")
        .tags("node", tags.node(), "module", tags.module(), "command", tags.command())
        .register(registry)).increment();
  }

  @Override
  public void requestCompleted(String module, String command, String outcome, long nanos) {
    requests.computeIfAbsent(new Tags(null, module, command, outcome), tags -> Timer.builder("frpc.server.requests")
        .description("Requests this node served, from arrival to reply, by module, command and outcome")
        .tags("module", tags.module(), "command", tags.command(), "outcome", tags.outcome())
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void connectionRefused(String reason) {
    refusals.computeIfAbsent(reason, tag -> Counter.builder("frpc.server.connections.refused")
        .description("Connections the listener refused, by the limit or check that refused them")
        .tag("reason", tag).register(registry)).increment();
  }

  private record Tags(String node, String module, String command, String outcome) {
  }
}

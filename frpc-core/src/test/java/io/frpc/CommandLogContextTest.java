package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** While a served command runs, the SLF4J MDC says who called what, in which trace; afterwards it is clear. */
class CommandLogContextTest {

  private static final String HANDLER_LOGGER = "io.frpc.test.handler";

  /** Handler of module "svc": logs one line per call. */
  public static final class Service {
    private final org.slf4j.Logger log = LoggerFactory.getLogger(HANDLER_LOGGER);

    public int echo(int value) {
      log.info("echo {}", value);
      return value;
    }
  }

  /** Sends one fixed trace context, and serves every request in the trace it names. */
  private static final class TraceIdTracer implements FrpcTracer {
    @Override
    public ClientSpan callStarted(String nodeName, String module, String command) {
      return new ClientSpan() {
        @Override
        public String traceContext() {
          return "4bf92f3577b34da6";
        }

        @Override
        public void end(Throwable failure) {
        }
      };
    }

    @Override
    public ServerScope requestStarted(String traceContext, String module, String command) {
      return new ServerScope() {
        @Override
        public void close(Throwable failure) {
        }

        @Override
        public String traceId() {
          return traceContext;
        }
      };
    }
  }

  /** What the worker's MDC held once each request was done (the observer runs there, after the command). */
  private final List<Map<String, String>> afterwards = new CopyOnWriteArrayList<>();
  private final FrpcObserver mdcAfterwards = new FrpcObserver() {
    @Override
    public void requestCompleted(String module, String command, String outcome, long nanos) {
      Map<String, String> context = MDC.getCopyOfContextMap();
      afterwards.add(context == null ? Map.of() : context);
    }
  };
  /** Keeps each line with the MDC of the moment it was written (an event reads the MDC lazily otherwise). */
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent line) {
      line.prepareForDeferredProcessing();
      super.append(line);
    }
  };
  private final Logger handlerLogger = (Logger) LoggerFactory.getLogger(HANDLER_LOGGER);
  private TestNode game;
  private TestNode caller;

  @BeforeEach
  void captureHandlerLines() {
    lines.start();
    handlerLogger.addAppender(lines);
    handlerLogger.setLevel(Level.INFO);
    handlerLogger.setAdditive(false);
  }

  @AfterEach
  void close() {
    handlerLogger.detachAppender(lines);
    handlerLogger.setLevel(null);
    handlerLogger.setAdditive(true);
    caller.close();
    game.close();
  }

  @Test
  void aHandlersLogLineCarriesTheCallerModuleCommandAndTraceId() {
    game = TestNode.inJvm("game", 1).module("svc", null, 1, i -> new Service())
        .configure(b -> b.tracer(new TraceIdTracer()).observer(mdcAfterwards)).start();
    caller = TestNode.inJvm("lobby", 7).configure(b -> b.tracer(new TraceIdTracer())).start().connectedTo(game);

    caller.frpc.module("game", "svc").call("echo", Integer.class, 1);

    assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getMDCPropertyMap())
        .containsOnly(Map.entry("frpc.caller", "lobby:7"), Map.entry("frpc.module", "svc"),
            Map.entry("frpc.command", "echo"), Map.entry("traceId", "4bf92f3577b34da6")));
    await().atMost(Duration.ofSeconds(5)).until(() -> afterwards.size() == 1);
    assertThat(afterwards).containsExactly(Map.of());
  }

  @Test
  void outsideATraceTheLineCarriesNoTraceId() {
    game = TestNode.inJvm("game", 1).module("svc", null, 1, i -> new Service())
        .configure(b -> b.observer(mdcAfterwards)).start();
    caller = TestNode.inJvm("lobby", 7).start().connectedTo(game);

    caller.frpc.module("game", "svc").send("echo", 2);

    await().atMost(Duration.ofSeconds(5)).until(() -> afterwards.size() == 1);
    assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getMDCPropertyMap())
        .containsOnly(Map.entry("frpc.caller", "lobby:7"), Map.entry("frpc.module", "svc"),
            Map.entry("frpc.command", "echo")));
    assertThat(afterwards).containsExactly(Map.of());
  }

  @Test
  void switchedOffTheCommandRunsWithoutALogContext() {
    game = TestNode.inJvm("game", 1).module("svc", null, 1, i -> new Service())
        .configure(b -> b.mdc(false)).start();
    caller = TestNode.inJvm("lobby", 7).start().connectedTo(game);

    caller.frpc.module("game", "svc").call("echo", Integer.class, 3);

    assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getMDCPropertyMap()).isEmpty());
  }
}

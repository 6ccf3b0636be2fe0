package io.frpc.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * frpc-core's main code reads the time and sets its timers through the node's {@link FrpcClock}, or, for what
 * belongs to one channel, on that channel's event loop (its {@code ticker()} and {@code schedule}); see
 * docs/architecture.md, "Which clock drives what". A direct read of the system's time, a private wheel timer or a
 * thread-local random for back-off would escape the manual clock of the tests.
 */
class TimeSourceRuleTest {

  private static final Path MAIN = Path.of("src/main/java");

  private static final Pattern FORBIDDEN = Pattern.compile(
      "System\\s*(\\.|::)\\s*(nanoTime|currentTimeMillis)\\b"
          + "|\\b(Instant|LocalDateTime|ZonedDateTime|OffsetDateTime|LocalDate|LocalTime)\\s*(\\.|::)\\s*now\\b"
          + "|\\bClock\\s*\\.\\s*system"
          + "|\\bThreadLocalRandom\\b"
          + "|\\bHashedWheelTimer\\b"
          + "|\\.newTimeout\\s*\\(");

  /** The system's clock itself. */
  private static final String SYSTEM_CLOCK = "io/frpc/time/SystemClock.java";

  /**
   * File → the one use allowed in it: RateLimitedLog's deprecated constructor, which the Redis watcher (in the
   * autoconfigure module) uses until it passes {@code DiscoveryContext.clock()}.
   */
  private static final Map<String, String> ALLOWED = Map.of("io/frpc/internal/RateLimitedLog.java",
      "System::nanoTime");

  @Test
  void mainCodeReadsTimeOnlyThroughTheClockOrAnEventLoop() throws IOException {
    assertThat(MAIN).as("run from the frpc-core module directory").isDirectory();
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
        String name = MAIN.relativize(file).toString().replace('\\', '/');
        if (name.equals(SYSTEM_CLOCK)) {
          continue;
        }
        String[] lines = withoutComments(Files.readString(file)).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          Matcher found = FORBIDDEN.matcher(lines[i]);
          while (found.find()) {
            if (found.group().equals(ALLOWED.get(name))) {
              continue;
            }
            violations.add(name + ":" + (i + 1) + ": " + found.group() + " — read the time from the node's FrpcClock "
                + "(TransportResources.clock()), or in a channel handler from ctx.executor().ticker() and schedule on "
                + "ctx.executor(); back-off waits come from io.frpc.time.Backoff");
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theRuleFindsWhatItForbidsAndIgnoresComments() {
    assertThat(FORBIDDEN.matcher("long now = System.nanoTime();").find()).isTrue();
    assertThat(FORBIDDEN.matcher("LongSupplier time = System::nanoTime;").find()).isTrue();
    assertThat(FORBIDDEN.matcher("Instant started = Instant.now();").find()).isTrue();
    assertThat(FORBIDDEN.matcher("timer.newTimeout(t -> run(), 1, SECONDS)").find()).isTrue();
    assertThat(FORBIDDEN.matcher("ThreadLocalRandom.current().nextDouble(0.8, 1.2)").find()).isTrue();
    assertThat(FORBIDDEN.matcher("long now = clock.nanoTime();").find()).isFalse();
    assertThat(FORBIDDEN.matcher("ctx.executor().ticker().nanoTime()").find()).isFalse();
    assertThat(withoutComments("/** as {@code System.nanoTime()} */\nint x; // Instant.now()\n")
        .contains("nanoTime")).isFalse();
  }

  /** The code with its comments blanked out, line breaks kept so that line numbers stay right. */
  private static String withoutComments(String source) {
    StringBuilder code = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '"' || c == '\'') {
        int end = i + 1;
        while (end < source.length() && source.charAt(end) != c) {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        code.append(source, i, Math.min(end + 1, source.length()));
        i = end + 1;
      } else if (source.startsWith("//", i)) {
        while (i < source.length() && source.charAt(i) != '\n') {
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? source.length() : end + 2;
        source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> code.append('\n'));
        i = end;
      } else {
        code.append(c);
        i++;
      }
    }
    return code.toString();
  }
}

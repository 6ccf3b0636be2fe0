package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A node whose process may open only 1,024 files keeps its listener working when more peers connect than
 * it has descriptors: its default connection cap leaves room, so accepting never fails.
 */
class FileDescriptorLimitTest {

  @Test
  void aNodeUnderALowDescriptorLimitRefusesCleanlyInsteadOfRunningOutOfDescriptors() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder("bash", "-c", "ulimit -n 1024 && exec \"$0\" -Xmx256m -cp \"$1\" "
        + FdLimitedNode.class.getName(), java, System.getProperty("java.class.path")).redirectErrorStream(true)
        .start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          output.add(line);
        }
      } catch (IOException closed) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    List<RawPeer> peers = new ArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> output.stream().anyMatch(line -> line.startsWith("PORT ")));
      int port = Integer.parseInt(output.stream().filter(line -> line.startsWith("PORT ")).findFirst().orElseThrow()
          .substring(5));

      int admitted = 0;
      for (int i = 0; i < 1100; i++) {
        try {
          // idle peers that complete the handshake, spread over addresses (100 new connections a second each)
          peers.add(RawPeer.handshakenFrom(2 + i % 20, port, i));
          admitted++;
        } catch (IOException refused) {
          // refused at the connection cap
        }
      }

      assertThat(admitted).as("the cap under 1,024 descriptors").isEqualTo(768);
      assertThat(output).noneMatch(line -> line.contains("Too many open files"));
      for (RawPeer peer : peers) {
        peer.close();
      }
      peers.clear();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        try (RawPeer fresh = RawPeer.handshakenFrom(30, port, 5000)) {
          assertThat(fresh).isNotNull();
        }
      });
      assertThat(output).noneMatch(line -> line.contains("Too many open files"));
    } finally {
      for (RawPeer peer : peers) {
        peer.close();
      }
      process.destroy();
      process.waitFor();
    }
  }
}

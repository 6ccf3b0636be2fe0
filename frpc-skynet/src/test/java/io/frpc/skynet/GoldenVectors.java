package io.frpc.skynet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Bytes captured from a real skynet_fly build, in src/test/resources/skynet-vectors: name to bytes, in file order. */
public final class GoldenVectors {

  private GoldenVectors() {
  }

  /** The entries of one file. */
  public static Map<String, byte[]> load(String file) {
    try (InputStream in = GoldenVectors.class.getResourceAsStream("/skynet-vectors/" + file)) {
      if (in == null) {
        throw new IllegalStateException("no test resource skynet-vectors/" + file);
      }
      Map<String, byte[]> entries = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        int space = line.indexOf(' ');
        entries.put(line.substring(0, space), HexFormat.of().parseHex(line.substring(space + 1).strip()));
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

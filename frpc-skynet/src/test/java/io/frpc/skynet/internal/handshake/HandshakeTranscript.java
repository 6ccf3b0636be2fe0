package io.frpc.skynet.internal.handshake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A decoded capture of real skynet_fly connections (skynet-vectors/handshake/transcript_*.txt): per connection, the
 * frames in the order they were captured, each whole with its 2-byte length, and the handshake's keys where it had
 * a challenge (the capture's fixed randomness: challenge, client_priv, server_priv, secret). Frames the capture's
 * decoder printed cut short (long ones) are left out.
 */
record HandshakeTranscript(List<Connection> connections) {

  private static final Pattern FRAME = Pattern.compile("^(C>S|S>C)(?:\\(watch\\))? ([0-9a-f]+)$");
  private static final Pattern PARAM = Pattern.compile("([a-z_]+(?: ?\\(des key\\))?)=([0-9a-f]{16})");

  /** One frame, whole. */
  record Frame(boolean fromClient, byte[] bytes) {
  }

  /** One connection's frames and, after a challenge, its keys by name. */
  record Connection(List<Frame> frames, Map<String, byte[]> keys) {

    /** The handshake's frames: two without a challenge, eight with one. */
    List<Frame> handshake() {
      return frames.subList(0, keys.isEmpty() ? 2 : 8);
    }

    byte[] key(String name) {
      byte[] key = keys.get(name);
      if (key == null) {
        throw new IllegalArgumentException("no " + name + " in " + keys.keySet());
      }
      return key;
    }
  }

  static HandshakeTranscript load(String file) {
    try (InputStream in = HandshakeTranscript.class.getResourceAsStream("/skynet-vectors/handshake/" + file)) {
      if (in == null) {
        throw new IllegalStateException("no test resource skynet-vectors/handshake/" + file);
      }
      List<Connection> connections = new ArrayList<>();
      List<Frame> frames = null;
      Map<String, byte[]> keys = null;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String text = line.strip();
        if (text.startsWith("#### connection")) {
          frames = new ArrayList<>();
          keys = new LinkedHashMap<>();
          connections.add(new Connection(frames, keys));
          continue;
        }
        Matcher frame = FRAME.matcher(text);
        if (frame.matches()) {
          byte[] bytes = HexFormat.of().parseHex(frame.group(2));
          // the decoder printed long frames cut short: those are left out
          if (bytes.length == 2 + ((bytes[0] & 0xFF) << 8 | bytes[1] & 0xFF)) {
            frames.add(new Frame(frame.group(1).equals("C>S"), bytes));
          }
        } else if (text.startsWith("# challenge=")) {
          Matcher param = PARAM.matcher(text);
          while (param.find()) {
            keys.put(param.group(1).startsWith("secret") ? "secret" : param.group(1),
                HexFormat.of().parseHex(param.group(2)));
          }
        }
      }
      return new HandshakeTranscript(connections);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.frpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * A TCP relay on loopback in front of a node that keeps a copy of every byte in each direction, and can
 * flip a byte of what the node sends, as an attacker on the path would. With TLS contexts it terminates
 * TLS towards the caller with its own certificate and speaks TLS to the node: a relay between two TLS legs.
 */
final class Relay implements AutoCloseable {

  private final ServerSocket listener;
  private final SSLContext towardsNode;
  private final AtomicBoolean flipNextFromNode = new AtomicBoolean();
  private final int target;
  private final ByteArrayOutputStream toNode = new ByteArrayOutputStream();
  private final ByteArrayOutputStream fromNode = new ByteArrayOutputStream();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  Relay(int target) throws IOException {
    this(target, null, null);
  }

  /**
   * @param towardsCaller the TLS context the relay presents to callers, or null for plain TCP
   * @param towardsNode   the TLS context the relay connects to the node with, or null for plain TCP
   */
  Relay(int target, SSLContext towardsCaller, SSLContext towardsNode) throws IOException {
    this.target = target;
    this.towardsNode = towardsNode;
    this.listener = towardsCaller == null ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
        : towardsCaller.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "relay-" + target);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Everything the connecting side sent so far. */
  byte[] sentToNode() {
    synchronized (toNode) {
      return toNode.toByteArray();
    }
  }

  /** Everything the node answered so far. */
  byte[] sentByNode() {
    synchronized (fromNode) {
      return fromNode.toByteArray();
    }
  }

  /** Whether {@code needle} occurs anywhere in {@code haystack}. */
  static boolean contains(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }

  private volatile boolean down;

  /** Flips the last byte of the next chunk the node sends to a caller. */
  void flipNextByteFromNode() {
    flipNextFromNode.set(true);
  }

  /** Closes every relayed connection, as a network failure would; new connections are relayed again. */
  void cut() throws IOException {
    for (Socket socket : open) {
      socket.close();
    }
    open.clear();
  }

  /** Cuts every relayed connection and closes new ones at once until {@link #up()}. */
  void down() throws IOException {
    down = true;
    cut();
  }

  /** Relays new connections again. */
  void up() {
    down = false;
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        if (down) {
          client.close();
          continue;
        }
        Socket node = towardsNode == null ? new Socket(InetAddress.getLoopbackAddress(), target)
            : towardsNode.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), target);
        open.add(client);
        open.add(node);
        pump(client, node, toNode, new AtomicBoolean());
        pump(node, client, fromNode, flipNextFromNode);
      }
    } catch (IOException e) {
      // closed
    }
  }

  private static void pump(Socket from, Socket to, ByteArrayOutputStream copy, AtomicBoolean flip) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int read; (read = in.read(buffer)) != -1; ) {
          synchronized (copy) {
            copy.write(buffer, 0, read);
          }
          if (flip.compareAndSet(true, false)) {
            buffer[read - 1] ^= 0x01;
          }
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }, "relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

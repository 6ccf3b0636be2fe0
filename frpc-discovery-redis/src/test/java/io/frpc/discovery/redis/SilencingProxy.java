package io.frpc.discovery.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A TCP forwarder in front of a Redis server that can make its subscribed connections go silent: they stay open,
 * and what the server sends them is dropped, as when a connection dies without a word (a balancer or NAT that
 * forgot it). A connection counts as subscribed once a request on it named {@code SUBSCRIBE} or {@code PSUBSCRIBE}
 * (commands that small arrive in one read).
 */
final class SilencingProxy implements RedisDeployment, AutoCloseable {

  private final ServerSocket listener;
  private final String host;
  private final int port;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "silencing-proxy");
    thread.setDaemon(true);
    return thread;
  });

  SilencingProxy(String host, int port) {
    this.host = host;
    this.port = port;
    try {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    threads.execute(this::accept);
  }

  /** From now on, the connections that subscribed so far receive nothing more; later ones are not affected. */
  void silenceSubscribers() {
    links.stream().filter(link -> link.subscribed).forEach(link -> link.silenced = true);
  }

  /** How many connections were silenced. */
  long silenced() {
    return links.stream().filter(link -> link.silenced).count();
  }

  @Override
  public LettuceConnectionFactory connectionFactory() {
    LettuceConnectionFactory factory =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", listener.getLocalPort()));
    factory.afterPropertiesSet();
    factory.start();
    return factory;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(host, port);
        Link link = new Link(client, server);
        links.add(link);
        threads.execute(() -> link.forward(client, server, true));
        threads.execute(() -> link.forward(server, client, false));
      } catch (IOException e) {
        // closed, or the server is away: the client sees its connection fail
      }
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    links.forEach(Link::close);
    threads.shutdownNow();
  }

  private static final class Link {
    private final Socket client;
    private final Socket server;
    private volatile boolean subscribed;
    private volatile boolean silenced;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void forward(Socket from, Socket to, boolean request) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          if (request && new String(buffer, 0, read, StandardCharsets.US_ASCII).toUpperCase().contains("SUBSCRIBE")) {
            subscribed = true;
          }
          if (request || !silenced) {
            out.write(buffer, 0, read);
            out.flush();
          }
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        close();
      }
    }

    void close() {
      try {
        client.close();
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}

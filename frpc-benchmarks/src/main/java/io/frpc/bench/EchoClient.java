package io.frpc.bench;

import java.util.concurrent.CompletableFuture;

/** One system's client side: asynchronous echo calls over a single connection per server node. */
interface EchoClient extends AutoCloseable {

  /** Sends {@code payload} and completes with the echoed bytes. */
  CompletableFuture<byte[]> echo(byte[] payload);

  /** Sends {@code payload} and waits for the echo, the way a request/response caller of the system would. */
  default byte[] echoAndWait(byte[] payload) {
    return echo(payload).join();
  }

  /** The seed benchmark's call; systems without key routing just echo. */
  default CompletableFuture<byte[]> echoByKey(long key, byte[] payload) {
    return echo(payload);
  }

  @Override
  void close();
}

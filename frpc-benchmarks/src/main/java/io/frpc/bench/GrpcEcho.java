package io.frpc.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-java unary echo over one channel, with a hand-written method descriptor and a byte-array
 * marshaller (no protoc). {@code direct}: configured as gRPC's own performance guide advises for handlers
 * that never block — {@code directExecutor()} on the server and the channel, so the handler and the
 * response listener run on the Netty event loops; otherwise gRPC's default executors (a cached thread pool
 * hop on each side).
 */
final class GrpcEcho {

  private static final int MAX_MESSAGE = 256 * 1024 * 1024;

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Echo"))
      .setRequestMarshaller(BYTES)
      .setResponseMarshaller(BYTES)
      .build();

  private GrpcEcho() {
  }

  static AutoCloseable startServer(int port, boolean direct) throws IOException {
    ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Echo")
        .addMethod(ECHO, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> reply) -> {
          reply.onNext(request);
          reply.onCompleted();
        }))
        .build();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .maxInboundMessageSize(MAX_MESSAGE).addService(service);
    if (direct) {
      builder.directExecutor();
    }
    Server server = builder.build().start();
    return () -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  static EchoClient connect(int port, boolean direct) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .maxInboundMessageSize(MAX_MESSAGE);
    if (direct) {
      builder.directExecutor();
    }
    ManagedChannel channel = builder.build();
    return new EchoClient() {
      @Override
      public CompletableFuture<byte[]> echo(byte[] payload) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(channel.newCall(ECHO, CallOptions.DEFAULT), payload, new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            reply.complete(value);
          }

          @Override
          public void onError(Throwable error) {
            reply.completeExceptionally(error);
          }

          @Override
          public void onCompleted() {
          }
        });
        return reply;
      }

      /** gRPC's own blocking call: the reply is taken on the caller's thread. */
      @Override
      public byte[] echoAndWait(byte[] payload) {
        return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, payload);
      }

      @Override
      public void close() {
        channel.shutdownNow();
      }
    };
  }
}

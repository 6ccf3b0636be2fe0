package io.frpc.skynet.client;

import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import io.frpc.skynet.internal.handshake.SkynetServerHandshake;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A skynet_fly node written in Java for tests: a Netty server with the frame codec and skynet.pack that accepts
 * the no-secret identity handshake and answers requests as {@code frpc_server.lua} does for a module
 * {@code interop_m} with two instances named "one" and "two" (skynet addresses {@link #ONE} and {@link #TWO}, also
 * registered as ".interop_1" and ".interop_2"). Its commands: {@code echo(...)}, {@code add(a, b)}, {@code fail()},
 * {@code multi()} ({@code 1, nil, "three"}), {@code big(n)} (n "x"), {@code info()} ({@code {addr, svr_id,
 * instance_name}}), {@code hang()} (never answers), {@code close()} (closes the connection). A test may replace the
 * answers with {@link #answers}. Every request and handshake it receives is kept for the test to read.
 */
final class FakeLuaServer implements AutoCloseable {

  /** The skynet address of instance "one". */
  static final int ONE = 0x0100000a;
  /** The skynet address of instance "two". */
  static final int TWO = 0x0100000b;

  /** What the server does with a request. */
  sealed interface Answer permits Ok, Failed, NoAnswer, CloseConnection {
  }

  /** An ok response with these values. */
  record Ok(List<LuaValue> values) implements Answer {
    static Ok of(LuaValue... values) {
      return new Ok(List.of(values));
    }
  }

  /** An error response with this text. */
  record Failed(String text) implements Answer {
  }

  /** No response. */
  record NoAnswer() implements Answer {
  }

  /** Close the connection instead of answering. */
  record CloseConnection() implements Answer {
  }

  /** A request as received, with the connection it came on. */
  record Received(SkynetRequest request, Channel channel) {
    List<LuaValue> payload() {
      return PACK.unpack(request.payload());
    }
  }

  private static final SkynetPack PACK = SkynetPack.create();

  final int svrId;
  final BlockingQueue<Received> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<Received> handshakes = new LinkedBlockingQueue<>();
  /** Every frame body received, handshakes included, in order. */
  final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  /** How requests are answered; the module described above by default. */
  volatile Function<SkynetRequest, Answer> answers = this::interopModule;
  /** Whether handshakes are accepted; false: they get no response. */
  volatile boolean acceptHandshakes = true;

  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel server;

  FakeLuaServer(EventLoopGroup group, int svrId, int port) {
    this(group, svrId, port, null);
  }

  /**
   * A server whose connections run skynet_fly's server handshake with {@code security} (and its payload cipher
   * when encrypting); with {@code null}, any identity handshake is accepted by the fake (and kept in
   * {@link #handshakes}).
   */
  FakeLuaServer(EventLoopGroup group, int svrId, int port, SkynetSecurity security) {
    this.svrId = svrId;
    this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channels.add(channel);
            channel.pipeline().addLast(SkynetMessageDecoder.lengthPrefixDecoder(), new FrameRecorder(),
                new SkynetMessageDecoder(SkynetMessageDecoder.Direction.REQUESTS), new SkynetMessageEncoder());
            if (security != null) {
              channel.pipeline().addLast(new SkynetServerHandshake(security, new java.security.SecureRandom(),
                  java.time.Duration.ofSeconds(10)));
            }
            channel.pipeline().addLast(new Handler());
          }
        }).bind("127.0.0.1", port).syncUninterruptibly().channel();
    channels.add(server);
  }

  int port() {
    return ((java.net.InetSocketAddress) server.localAddress()).getPort();
  }

  /** The next request other than a handshake, waiting up to 5 s. */
  Received nextRequest() throws InterruptedException {
    Received received = requests.poll(5, TimeUnit.SECONDS);
    if (received == null) {
      throw new AssertionError("no request reached the fake Lua server within 5 s");
    }
    return received;
  }

  /** Writes an ok response with {@code values} for {@code received}. */
  void answer(Received received, LuaValue... values) {
    received.channel().writeAndFlush(new SkynetResponse(received.request().session(), true, PACK.pack(values)));
  }

  /** Closes the connections it accepted, not the listening socket. */
  void dropConnections() {
    channels.stream().filter(channel -> channel != server).forEach(Channel::close);
  }

  @Override
  public void close() {
    channels.close().awaitUninterruptibly();
  }

  private Answer interopModule(SkynetRequest request) {
    int packId = request.packId();
    boolean alias = packId == 106 || packId == 206;
    if (!alias && !request.moduleName().equals("interop_m")) {
      // what skynet_fly's frpc_server answers for every pack id (observed against a real node)
      return new Failed(" module_name not exists :" + request.moduleName());
    }
    List<LuaValue> payload = PACK.unpack(request.payload());
    String command = ((LuaString) payload.get(0)).utf8();
    List<LuaValue> args = payload.subList(1, payload.size());
    if (command.equals("hang")) {
      return new NoAnswer();
    }
    if (command.equals("close")) {
      return new CloseConnection();
    }
    if (packId == 202 || packId == 205) {
      LuaTable.Builder replies = LuaTable.builder();
      for (int address : instances(request.instanceName())) {
        Answer answer = run(command, args, address);
        if (answer instanceof Failed failed) {
          return failed;
        }
        replies.put(LuaValue.of(address), LuaValue.of(PACK.pack(((Ok) answer).values())));
      }
      return Ok.of(replies.build());
    }
    int address = switch (request.moduleName()) {
      case ".interop_2" -> TWO;
      default -> request.instanceName().equals("two") ? TWO : ONE;
    };
    return run(command, args, address);
  }

  private static int[] instances(String instanceName) {
    return switch (instanceName) {
      case "" -> new int[] {ONE, TWO};
      case "one" -> new int[] {ONE};
      default -> new int[] {TWO};
    };
  }

  private Answer run(String command, List<LuaValue> args, int address) {
    return switch (command) {
      case "echo" -> new Ok(args);
      case "add" -> Ok.of(LuaValue.of(((LuaInteger) args.get(0)).value() + ((LuaInteger) args.get(1)).value()));
      case "fail" -> new Failed("call err /skynet/lualib/skynet.lua:817: call failed");
      case "multi" -> Ok.of(LuaValue.of(1), LuaValue.nil(), LuaValue.of("three"));
      case "big" -> Ok.of(LuaValue.of("x".repeat((int) ((LuaInteger) args.get(0)).value())));
      case "info" -> Ok.of(LuaTable.builder().put("addr", LuaValue.of(address))
          .put("svr_id", LuaValue.of(svrId))
          .put("instance_name", LuaValue.of(address == ONE ? "one" : "two")).build());
      default -> new Failed("call err /skynet/lualib/skynet.lua:817: call failed");
    };
  }

  /** Keeps a copy of every frame body (after the 2-byte length) for the tests to read. */
  private final class FrameRecorder extends io.netty.channel.ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      frames.add(io.netty.buffer.ByteBufUtil.getBytes((io.netty.buffer.ByteBuf) message));
      ctx.fireChannelRead(message);
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<SkynetRequest> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SkynetRequest request) {
      Received received = new Received(request, ctx.channel());
      if (request.packId() == 1) {
        handshakes.add(received);
        if (!acceptHandshakes) {
          return;
        }
        ctx.writeAndFlush(new SkynetResponse(request.session(), true, PACK.pack(LuaValue.of("ok"))));
        return;
      }
      requests.add(received);
      if (!request.expectsResponse()) {
        return;
      }
      Answer answer = answers.apply(request);
      if (answer instanceof Ok ok) {
        ctx.writeAndFlush(new SkynetResponse(request.session(), true, PACK.pack(ok.values())));
      } else if (answer instanceof Failed failed) {
        ctx.writeAndFlush(new SkynetResponse(request.session(), false,
            failed.text().getBytes(StandardCharsets.UTF_8)));
      } else if (answer instanceof CloseConnection) {
        ctx.close();
      }
    }
  }
}

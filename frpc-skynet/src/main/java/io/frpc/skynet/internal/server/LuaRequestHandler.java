package io.frpc.skynet.internal.server;

import io.frpc.InstanceReply;
import io.frpc.NodeId;
import io.frpc.RemoteCallException;
import io.frpc.bridge.BridgeConnection;
import io.frpc.bridge.BridgeRequest;
import io.frpc.bridge.BridgeRequest.Pick;
import io.frpc.internal.UntrustedText;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetFormatException;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.PackIds;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Serves the requests of one identified skynet_fly caller on this node's modules: the pack id says which
 * instance (balance, mod, broadcast, each by instance name, or an alias), the payload is {@code skynet.pack(cmd,
 * args...)}, and a call is answered with {@code skynet.pack(result)} — for a broadcast call, skynet_fly's table of
 * each instance's packed results — or with an error text, as skynet_fly's server answers.
 */
final class LuaRequestHandler extends SimpleChannelInboundHandler<SkynetRequest> {

  private static final Logger log = LoggerFactory.getLogger(LuaRequestHandler.class);

  private final NodeId self;
  private final BridgeConnection modules;
  private final Map<String, String> aliases;
  private final SkynetPack pack;
  private final LuaBinding binding;
  private final NodeId caller;
  private boolean reportedDroppedSend;

  /**
   * @param self    this node, as skynet_fly names it in error texts ({@code name:id})
   * @param caller  the skynet_fly node calling, as its handshake named it
   * @param modules where the requests run
   * @param aliases skynet service names a caller may use with {@code send_by_alias}/{@code call_by_alias}, each to
   *                the module it reaches
   */
  LuaRequestHandler(NodeId self, NodeId caller, BridgeConnection modules, Map<String, String> aliases,
      SkynetPack pack, LuaBinding binding) {
    this.self = self;
    this.caller = caller;
    this.modules = modules;
    this.aliases = aliases;
    this.pack = pack;
    this.binding = binding;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, SkynetRequest request) {
    int form = PackIds.sendForm(request.packId());
    if (form < 0) {
      refuse(ctx, request, "unknown pack_id = " + request.packId() + " cluster_name = " + self);
      return;
    }
    String module = request.moduleName();
    String instance = null;
    Pick pick;
    switch (form) {
      case PackIds.BALANCE_SEND, PackIds.BALANCE_SEND_BY_NAME -> pick = Pick.BALANCE;
      case PackIds.MOD_SEND, PackIds.MOD_SEND_BY_NAME -> pick = Pick.MOD;
      case PackIds.BROADCAST, PackIds.BROADCAST_BY_NAME -> pick = Pick.BROADCAST;
      default -> {
        module = aliases.get(request.moduleName());
        if (module == null) {
          refuse(ctx, request, " module_name not exists :" + request.moduleName());
          return;
        }
        pick = Pick.BALANCE;
      }
    }
    if (form == PackIds.BALANCE_SEND_BY_NAME || form == PackIds.MOD_SEND_BY_NAME
        || form == PackIds.BROADCAST_BY_NAME) {
      instance = request.instanceName();
    }
    if (pick == Pick.MOD && request.modKey() <= 0) {
      // skynet_fly's own server fails the same request on its assertion
      refuse(ctx, request, "call err a mod request needs a mod_num above 0");
      return;
    }
    List<LuaValue> values;
    try {
      values = pack.unpack(request.payload());
    } catch (SkynetFormatException e) {
      refuse(ctx, request, "call err " + e.getMessage());
      return;
    }
    if (values.isEmpty() || !(values.get(0) instanceof LuaString command)) {
      refuse(ctx, request, "call err the first packed value must be the command name");
      return;
    }
    Object[] arguments = new Object[values.size() - 1];
    for (int i = 1; i < values.size(); i++) {
      arguments[i - 1] = binding.toTree(values.get(i));
    }
    BridgeRequest call = new BridgeRequest(module, instance, pick, request.modKey(), command.utf8(), arguments, null);
    if (!request.expectsResponse()) {
      modules.send(call);
      return;
    }
    long session = request.session();
    if (pick == Pick.BROADCAST) {
      modules.broadcast(call).whenComplete((replies, error) -> answerBroadcast(ctx, session, replies, error));
    } else {
      modules.call(call).whenComplete((result, error) -> answer(ctx, session, result, error));
    }
  }

  /** Answers a call with its result packed, or with its error text. */
  private void answer(ChannelHandlerContext ctx, long session, JsonNode result, Throwable error) {
    if (error != null) {
      ctx.writeAndFlush(failure(session, error));
      return;
    }
    byte[] packed;
    try {
      packed = pack.pack(binding.fromTree(result));
    } catch (RuntimeException e) {
      ctx.writeAndFlush(failure(session, e));
      return;
    }
    ctx.writeAndFlush(new SkynetResponse(session, true, packed));
  }

  /**
   * Answers a broadcast call as skynet_fly does: a table from each instance's address (here its position among the
   * instances that answered, from 1) to a string holding that instance's packed results. One failed instance fails
   * the whole call, as in skynet_fly.
   */
  private void answerBroadcast(ChannelHandlerContext ctx, long session, List<InstanceReply<JsonNode>> replies,
      Throwable error) {
    if (error != null) {
      ctx.writeAndFlush(failure(session, error));
      return;
    }
    LuaTable.Builder table = LuaTable.builder();
    try {
      for (int i = 0; i < replies.size(); i++) {
        InstanceReply<JsonNode> reply = replies.get(i);
        if (!reply.succeeded()) {
          ctx.writeAndFlush(failure(session, reply.error()));
          return;
        }
        table.put(new LuaInteger(i + 1), new LuaString(pack.pack(binding.fromTree(reply.value()))));
      }
      ctx.writeAndFlush(new SkynetResponse(session, true, pack.pack(table.build())));
    } catch (RuntimeException e) {
      ctx.writeAndFlush(failure(session, e));
    }
  }

  /** The error text a Lua caller receives: what failed and why, never a stack trace. */
  private static SkynetResponse failure(long session, Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    String text = cause instanceof RemoteCallException remote
        ? "call err " + remote.code() + (remote.remoteType() != null ? " " + remote.remoteType() : "") + ": "
            + remote.remoteMessage()
        : "call err " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return new SkynetResponse(session, false, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Answers a call that cannot run with {@code text}; a send that cannot run is logged (the first of a connection at
   * WARN, the others at DEBUG: a caller can send them as fast as it likes).
   */
  private void refuse(ChannelHandlerContext ctx, SkynetRequest request, String text) {
    if (request.expectsResponse()) {
      ctx.writeAndFlush(new SkynetResponse(request.session(), false, text.getBytes(StandardCharsets.UTF_8)));
    } else if (!reportedDroppedSend) {
      reportedDroppedSend = true;
      log.warn("Dropped a skynet_fly send from {} ({}): {}", caller, ctx.channel().remoteAddress(),
          UntrustedText.escape(text));
    } else {
      log.debug("Dropped a skynet_fly send from {}: {}", caller, UntrustedText.escape(text));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    modules.close();
    super.channelInactive(ctx);
  }
}

package io.frpc.skynet.client;

import io.frpc.skynet.internal.client.CallTarget;
import io.frpc.skynet.internal.client.SkynetCalls;

/**
 * Calls the modules of skynet_fly nodes, as skynet_fly's {@code frpc_client}. Each form is one chain:
 * <pre>{@code
 * skynet.module("game", "room_m")     // mode one: round-robin over the active nodes of "game"
 *     .node(2)                         // or mode byid; .allNodes() for mode all
 *     .instance("hall")                // optional: the *_by_name pack ids
 *     .mod(roomId)                     // or .balance() (the default) or .broadcast()
 *     .timeout(Duration.ofSeconds(2))  // the default is 5 s
 *     .call("enter", Room.class, playerId);   // or callAsync, callForReply, send
 * skynet.alias("game", ".room_1").call("info", Info.class);   // send_by_alias / call_by_alias
 * }</pre>
 * {@code call(command, type, args...)} sends {@code skynet.pack(command, args...)} (arguments bound by the client's
 * {@link io.frpc.skynet.LuaBinding}; {@link io.frpc.skynet.LuaValue}s sent as they are) and binds the first value
 * the command returned. Timeouts are this side's: skynet_fly has none, so a command still runs after its caller
 * gave up. Failures: {@link io.frpc.RemoteCallException} (an error response, its text as skynet_fly gave it),
 * {@link io.frpc.NoNodeConnectedException} (no active node within the connect wait),
 * {@link io.frpc.CallTimeoutException}, {@link io.frpc.ConnectionLostException} (the connection closed with the call
 * pending: it may have run), {@link io.frpc.ReplyBindingException}.
 *
 * <p>Replies are bound and futures completed on the client's callback threads ({@code frpc-skynet-callbacks}, as
 * many as cores), never on an I/O thread, as frpc's own calls are. Thread-safe; the chain
 * objects are immutable and may be kept and reused.
 */
public final class SkynetTemplate {

  private final SkynetCalls calls;

  SkynetTemplate(SkynetCalls calls) {
    this.calls = calls;
  }

  /** A call to {@code module} on one node named {@code svrName}, balanced over the module's instances. */
  public SkynetModuleCall module(String svrName, String module) {
    return new SkynetModuleCall(calls, CallTarget.of(svrName, module));
  }

  /**
   * A call to the skynet service named {@code serviceName} (such as {@code ".room_1"}, registered with
   * {@code skynet.register}) on one node named {@code svrName}: skynet_fly's {@code send_by_alias} and
   * {@code call_by_alias}.
   */
  public SkynetAliasCall alias(String svrName, String serviceName) {
    return new SkynetAliasCall(calls, CallTarget.alias(svrName, serviceName));
  }
}

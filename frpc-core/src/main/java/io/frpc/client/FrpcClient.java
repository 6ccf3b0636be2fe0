package io.frpc.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as a typed client of one module: each method is a command, named like the method
 * (or by {@link io.frpc.FrpcCommand}), its parameters are the arguments and its return type the result,
 * generics included. Get one from {@link io.frpc.FrpcTemplate#client(Class)}, or inject it in Spring.
 * <pre>{@code
 * @FrpcClient(node = "game", module = "room_m")
 * interface RoomClient {
 *   RoomView join(@Mod long roomId, String player);              // call, sticky by room
 *   CompletableFuture<RoomView> view(@Mod long roomId);            // async call
 *   @Send void leaveAll(String player);                            // send, never blocks
 *   @AllNodes AllNodesReply<Integer> count();                      // every node
 *   @Broadcast List<InstanceReply<String>> ping(@Node int id);     // every instance of node id
 * }
 * }</pre>
 * The return type selects the operation: a value is a call, {@code CompletableFuture<T>} an async call,
 * {@code void} with {@link Send} a send. Several methods may call one command ({@link io.frpc.FrpcCommand}),
 * e.g. a synchronous and an asynchronous variant; overloaded method names are not allowed. Default methods
 * run as written (the interface must then be public). An invalid interface fails when the client is
 * created, naming the method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FrpcClient {

  /** The name of the nodes to call. */
  String node();

  /** The module to call. */
  String module();

  /** Restricts every method to the instances of this name (seed: *_by_name); a method may override it. */
  String instanceName() default "";
}

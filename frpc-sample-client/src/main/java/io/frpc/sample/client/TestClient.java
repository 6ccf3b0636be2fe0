package io.frpc.sample.client;

import io.frpc.AllNodesReply;
import io.frpc.FrpcCommand;
import io.frpc.InstanceReply;
import io.frpc.client.AllNodes;
import io.frpc.client.Broadcast;
import io.frpc.client.FrpcClient;
import io.frpc.client.Instance;
import io.frpc.client.Mod;
import io.frpc.client.Node;
import io.frpc.client.Send;
import java.util.List;

/** The seed's test_m as a typed client: the starter finds it in this package and makes it a bean. */
@FrpcClient(node = "cluster_server", module = "test_m")
interface TestClient {

  /** one_balance_call. */
  String ping();

  /** byid_balance_call. */
  @FrpcCommand("ping")
  String pingNode(@Node int id);

  /** one_mod_call_by_name on the test_one instances. */
  @Instance("test_one")
  @FrpcCommand("ping")
  String pingTestOne(@Mod(argument = false) long key);

  /** one_broadcast_call. */
  @Broadcast
  @FrpcCommand("ping")
  List<InstanceReply<String>> pingEveryInstance();

  /** all_balance_call. */
  @AllNodes
  @FrpcCommand("ping")
  AllNodesReply<String> pingEveryNode();

  /** one_balance_send. */
  @Send
  void hello(String who);

  /** large_msg, with its generic result. */
  @FrpcCommand("large_msg")
  List<Integer> largeMessage(List<Integer> numbers);
}

package io.frpc.skynet.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import org.junit.jupiter.api.Test;

/**
 * Calls to nodes with a secret key and encryption: the client runs skynet_fly's challenge and encrypts payloads per
 * its node map entry (against the module's server handshake, which is replayed against captures of skynet_fly).
 */
class SkynetSecuredNodesTest extends FakeNodesSupport {

  private static final SkynetPack PACK = SkynetPack.create();

  @Test
  void aNodeWithSecretAndEncryptionIsCalledWithEncryptedPayloads() throws Exception {
    FakeLuaServer lua = server(1, 0, new SkynetSecurity("s3cr3t", true));
    SkynetNodes nodes = connected(client().node(SkynetRemoteNode.of(LUA, 1, "127.0.0.1:" + lua.port())
        .withSecretKey("s3cr3t").withEncryption()), 1);

    assertThat(nodes.template().module(LUA, "interop_m").call("add", Integer.class, 1, 2)).isEqualTo(3);
    assertThat(nodes.template().module(LUA, "interop_m").call("big", String.class, 70_000)).hasSize(70_000);

    RequestFrame add = RequestFrame.next(lua.frames);
    assertThat(add.packId()).isEqualTo(200);
    assertThat(add.rest()).isNotEqualTo(PACK.pack(LuaValue.of("add"), LuaValue.of(1), LuaValue.of(2)));
    assertThat(add.rest().length % 8).isZero();
  }

  @Test
  void aNodeWithASecretOnlyIsCalledInClear() throws Exception {
    FakeLuaServer lua = server(1, 0, new SkynetSecurity("k3yone", false));
    SkynetNodes nodes = connected(client().node(SkynetRemoteNode.of(LUA, 1, "127.0.0.1:" + lua.port())
        .withSecretKey("k3yone")), 1);

    assertThat(nodes.template().module(LUA, "interop_m").call("add", Integer.class, 1, 2)).isEqualTo(3);
    assertThat(RequestFrame.next(lua.frames).rest())
        .isEqualTo(PACK.pack(LuaValue.of("add"), LuaValue.of(1), LuaValue.of(2)));
  }

  @Test
  void aNodeThatRefusesTheSecretNeverBecomesActive() throws Exception {
    FakeLuaServer lua = server(1, 0, new SkynetSecurity("right", false));
    SkynetNodes nodes = client().node(SkynetRemoteNode.of(LUA, 1, "127.0.0.1:" + lua.port())
        .withSecretKey("wrong")).build();
    try (nodes) {
      nodes.start();
      Thread.sleep(500);

      assertThat(nodes.isActive(LUA)).isFalse();
    }
  }
}

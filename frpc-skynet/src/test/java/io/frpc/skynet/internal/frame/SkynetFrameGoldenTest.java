package io.frpc.skynet.internal.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.GoldenVectors;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder.Direction;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Frames captured from skynet_fly's frpcpack.core (skynet-vectors/frames_*.hex) against the messages they were
 * packed from: each decodes to its message, and the encoder writes the same bytes.
 */
class SkynetFrameGoldenTest {

  private static final SkynetPack PACK = SkynetPack.create();
  private static final byte[] SMALL = PACK.pack(LuaValue.of("ping"), LuaValue.of(1));
  private static final byte[] BIG = PACK.pack(LuaValue.of("z".repeat(70000)));
  private static final long SESSION = 0x01020304L;

  /** skynet_fly's FRPC_PACK_ID. */
  private static final Map<String, Integer> PACK_IDS = new LinkedHashMap<>();

  static {
    String[] names = {"hand_shake", "pubmessage", "sub", "unsub", "subsyn", "unsubsyn", "psubsyn", "unpsubsyn",
        "balance_send", "mod_send", "broadcast", "balance_send_by_name", "mod_send_by_name", "broadcast_by_name",
        "send_by_alias", "balance_call", "mod_call", "broadcast_call", "balance_call_by_name", "mod_call_by_name",
        "broadcast_call_by_name", "call_by_alias"};
    int[] ids = {1, 10, 11, 12, 13, 14, 15, 16, 100, 101, 102, 103, 104, 105, 106, 200, 201, 202, 203, 204, 205, 206};
    for (int i = 0; i < names.length; i++) {
      PACK_IDS.put(names[i], ids[i]);
    }
  }

  @Test
  void thePayloadsAreSkynetPacksBytes() {
    Map<String, byte[]> payloads = GoldenVectors.load("frames_payloads.hex");
    assertThat(payloads.get("small_payload")).isEqualTo(SMALL);
    assertThat(payloads.get("big_payload")).isEqualTo(BIG);
  }

  @Test
  void everyKindOfSmallRequest() {
    Map<String, byte[]> frames = messages("frames_request.hex");
    PACK_IDS.forEach((name, id) -> {
      boolean call = id >= 200 || id == 1;
      String module = name.contains("alias") ? ".interop_1" : id == 1 ? "hand_shake" : id < 100 ? "" : "interop_m";
      SkynetRequest request = new SkynetRequest(id, module, name.endsWith("_by_name") ? "one" : "", SESSION,
          name.startsWith("mod_") ? 7 : 0, call, SMALL);
      assertSame(Direction.REQUESTS, request, frames.get(name + "_small"), name);
    });
  }

  @Test
  void requestsInParts() {
    Map<String, byte[]> frames = messages("frames_request.hex");
    assertSame(Direction.REQUESTS, new SkynetRequest(200, "interop_m", "", 5, 0, true, BIG),
        frames.get("balance_call_big"), "balance_call_big");
    assertSame(Direction.REQUESTS, new SkynetRequest(204, "interop_m", "one", 6, 0x0102030405060708L, true, BIG),
        frames.get("mod_call_by_name_big"), "mod_call_by_name_big");
    assertSame(Direction.REQUESTS, new SkynetRequest(100, "interop_m", "", 7, 0, false, BIG),
        frames.get("balance_send_big"), "balance_send_big");
    assertSame(Direction.REQUESTS, new SkynetRequest(201, "interop_m", "", 8, 0, true, SMALL),
        frames.get("mod_call_mod_num_0"), "mod_call_mod_num_0");
    assertSame(Direction.REQUESTS, new SkynetRequest(200, "m", "", 9, 0, true, q(32768)),
        frames.get("balance_call_exact_32768"), "balance_call_exact_32768");
    assertSame(Direction.REQUESTS, new SkynetRequest(200, "m", "", 10, 0, true, q(32769)),
        frames.get("balance_call_32769"), "balance_call_32769");
  }

  @Test
  void responses() {
    Map<String, byte[]> frames = messages("frames_response.hex");
    assertSame(Direction.RESPONSES, new SkynetResponse(SESSION, true, PACK.pack(LuaValue.of("pong"),
        LuaValue.of(42))), frames.get("ok_small"), "ok_small");
    assertSame(Direction.RESPONSES, new SkynetResponse(2, true, new byte[0]), frames.get("ok_empty_results"),
        "ok_empty_results");
    assertSame(Direction.RESPONSES, new SkynetResponse(3, false, "call err boom".getBytes(StandardCharsets.UTF_8)),
        frames.get("error"), "error");
    assertSame(Direction.RESPONSES, new SkynetResponse(5, true, BIG), frames.get("ok_big"), "ok_big");
    assertSame(Direction.RESPONSES, new SkynetResponse(6, true, q(32768)), frames.get("ok_exact_32768"),
        "ok_exact_32768");
    // the error text is cut to 32 KiB by both
    byte[] truncated = frames.get("error_40000_truncated");
    assertThat(encode(new SkynetResponse(4, false, "e".repeat(40000).getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(truncated);
    assertThat(decode(Direction.RESPONSES, truncated))
        .isEqualTo(new SkynetResponse(4, false, "e".repeat(32768).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void pushes() {
    Map<String, byte[]> frames = messages("frames_pub.hex");
    assertSame(Direction.PUSHES, new SkynetPush(10, 1, "interop_pub", PACK.pack(LuaValue.of("tick"),
        LuaValue.of(7))), frames.get("pubmessage_small"), "pubmessage_small");
    assertSame(Direction.PUSHES, new SkynetPush(11, 2, "interop_pub", PACK.pack(LuaValue.of(0x10),
        LuaValue.of("unique-1"))), frames.get("sub_ack"), "sub_ack");
    assertSame(Direction.PUSHES, new SkynetPush(13, 3, "interop_syn", PACK.pack(LuaValue.of(5),
        LuaValue.of(PACK.pack(LuaValue.of("state"), LuaValue.of(4))))), frames.get("subsyn_push"), "subsyn_push");
    assertSame(Direction.PUSHES, new SkynetPush(15, 4, "room:*:a", PACK.pack(LuaValue.of(2),
        io.frpc.skynet.LuaTable.builder().put("room:1:a", LuaValue.of(true)).build())), frames.get("psubsyn_push"),
        "psubsyn_push");
    assertSame(Direction.PUSHES, new SkynetPush(10, 5, "big", BIG), frames.get("pubmessage_big"), "pubmessage_big");
  }

  private static void assertSame(Direction direction, SkynetMessage message, byte[] captured, String name) {
    assertThat(captured).as("a capture named %s", name).isNotNull();
    assertThat(HexFormat.of().formatHex(encode(message))).as("encoding of %s", name)
        .isEqualTo(HexFormat.of().formatHex(captured));
    assertThat(decode(direction, captured)).as("decoding of %s", name).isEqualTo(message);
  }

  private static byte[] encode(SkynetMessage message) {
    return SkynetMessageCodecTest.bytes(message);
  }

  private static SkynetMessage decode(Direction direction, byte[] bytes) {
    EmbeddedChannel channel = SkynetMessageCodecTest.decoding(direction);
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    SkynetMessage message = channel.readInbound();
    assertThat(channel.finish()).as("one message and nothing more").isFalse();
    return message;
  }

  /** Each message's frames, its head and parts ({@code name#partN}) joined in order. */
  private static Map<String, byte[]> messages(String file) {
    Map<String, ByteArrayOutputStream> joined = new LinkedHashMap<>();
    GoldenVectors.load(file).forEach((name, frame) -> joined.computeIfAbsent(name.replaceFirst("#part\\d+$", ""),
        key -> new ByteArrayOutputStream()).writeBytes(frame));
    Map<String, byte[]> messages = new LinkedHashMap<>();
    joined.forEach((name, bytes) -> messages.put(name, bytes.toByteArray()));
    return messages;
  }

  private static byte[] q(int size) {
    return "q".repeat(size).getBytes(StandardCharsets.UTF_8);
  }
}

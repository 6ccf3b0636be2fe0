package io.frpc.skynet.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The header of a request frame body as sent (lua-frpcpack.c {@code packrequest}): flag, pack id, the name lengths,
 * names, u32 LE session, the i64 LE mod key when the flag has 0x20, then the payload (or a head's total size).
 */
record RequestFrame(int flag, int packId, String module, String instance, long session, Long modKey, byte[] rest) {

  static RequestFrame parse(byte[] body) {
    ByteBuffer buffer = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    int flag = buffer.get() & 0xFF;
    int packId = buffer.get() & 0xFF;
    byte[] module = new byte[buffer.get() & 0xFF];
    byte[] instance = new byte[buffer.get() & 0xFF];
    buffer.get(module).get(instance);
    long session = buffer.getInt() & 0xFFFFFFFFL;
    Long modKey = (flag & 0x20) != 0 ? buffer.getLong() : null;
    return new RequestFrame(flag, packId, new String(module, StandardCharsets.UTF_8),
        new String(instance, StandardCharsets.UTF_8), session, modKey,
        Arrays.copyOfRange(body, buffer.position(), body.length));
  }

  /** The next frame of {@code frames} that is a whole request or a head other than a handshake. */
  static RequestFrame next(BlockingQueue<byte[]> frames) throws InterruptedException {
    while (true) {
      byte[] body = frames.poll(5, TimeUnit.SECONDS);
      if (body == null) {
        throw new AssertionError("no request frame within 5 s");
      }
      int kind = body[0] & 0x0F;
      if ((kind == 0x01 || kind == 0x02) && (body[1] & 0xFF) != 1) {
        return parse(body);
      }
    }
  }
}

package io.frpc.internal.protocol;

/**
 * Encoded bytes of arguments or a result, still undecoded: the I/O thread hands them over as they came
 * and the thread that needs the values decodes them once.
 *
 * @param bytes  backing array
 * @param offset first byte
 * @param length number of bytes
 */
public record Payload(byte[] bytes, int offset, int length) {
}

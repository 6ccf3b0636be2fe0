package io.frpc.internal.protocol;

/**
 * A WINDOW frame read: the peer has read this many more of the fragment bytes this side sent, which the
 * {@link FragmentingWriter} may send again.
 *
 * @param bytes fragment bytes granted back, at least 1
 */
record WindowGrant(long bytes) {
}

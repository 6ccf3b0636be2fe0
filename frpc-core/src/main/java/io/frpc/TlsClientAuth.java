package io.frpc;

/** Whether a TLS listener asks connecting nodes for a certificate ({@code frpc.server.ssl.client-auth}). */
public enum TlsClientAuth {
  /** No client certificate is requested. */
  NONE,
  /** A client certificate is requested and verified when presented. */
  WANT,
  /** A trusted client certificate is required: mutual TLS. */
  NEED
}

package io.frpc.internal.security;

import io.frpc.discovery.RegistrationSignatures;

/** Registration signatures made and checked with a node's {@link SharedSecrets}. */
public final class SharedSecretSignatures implements RegistrationSignatures {

  private final SharedSecrets secrets;

  public SharedSecretSignatures(SharedSecrets secrets) {
    this.secrets = secrets;
  }

  @Override
  public byte[] sign(byte[] content) {
    return secrets.signsRegistrations() ? secrets.signRegistration(content) : null;
  }

  @Override
  public boolean accepts(String nodeName, byte[] content, byte[] signature) {
    return !secrets.verifiesRegistrationsOf(nodeName) || secrets.verifyRegistration(nodeName, content, signature);
  }
}

package io.frpc.testing;

import io.frpc.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key stores made for a test by the JDK's own {@code keytool}: self-signed EC certificates, nothing checked
 * in. {@code node} names 127.0.0.1 and localhost; {@code stranger} names another host and is not trusted
 * by {@link #trust()} unless asked.
 */
public final class TestCertificates {

  public static final String PASSWORD = "changeit";

  private final Path folder;

  private TestCertificates(Path folder) {
    this.folder = folder;
  }

  /** Creates {@code node.p12}, {@code stranger.p12}, {@code trust.p12} (node only) and {@code trust-all.p12}. */
  public static TestCertificates create(Path folder) throws IOException, InterruptedException {
    TestCertificates certificates = new TestCertificates(folder);
    certificates.keyPair("node", "SAN=ip:127.0.0.1,dns:localhost");
    certificates.keyPair("stranger", "SAN=dns:elsewhere.invalid");
    certificates.trustStore("trust.p12", "node");
    certificates.trustStore("trust-all.p12", "node", "stranger");
    return certificates;
  }

  public Path path(String file) {
    return folder.resolve(file);
  }

  /** Key material of {@code name} ("node" or "stranger"). */
  public KeyManagerFactory keys(String name) throws IOException, GeneralSecurityException {
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(load(name + ".p12"), PASSWORD.toCharArray());
    return factory;
  }

  /** Trust in {@code file} ("trust.p12" or "trust-all.p12"). */
  public TrustManagerFactory trust(String file) throws IOException, GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(load(file));
    return factory;
  }

  /** The node's key with trust in the node's certificate only. */
  public TlsSettings node() throws IOException, GeneralSecurityException {
    return TlsSettings.of(keys("node"), trust("trust.p12"));
  }

  private KeyStore load(String file) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(folder.resolve(file))) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private void keyPair(String name, String san) throws IOException, InterruptedException {
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=frpc-" + name,
        "-ext", san, "-validity", "2", "-keystore", name + ".p12", "-storetype", "PKCS12", "-storepass", PASSWORD,
        "-keypass", PASSWORD);
    keytool("-exportcert", "-alias", name, "-keystore", name + ".p12", "-storepass", PASSWORD, "-file",
        name + ".crt");
  }

  private void trustStore(String file, String... names) throws IOException, InterruptedException {
    for (String name : names) {
      keytool("-importcert", "-noprompt", "-alias", name, "-file", name + ".crt", "-keystore", file, "-storetype",
          "PKCS12", "-storepass", PASSWORD);
    }
  }

  private void keytool(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + new String(output));
    }
  }
}

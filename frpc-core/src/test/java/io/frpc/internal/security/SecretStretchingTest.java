package io.frpc.internal.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Anyone who connects receives a node's proof, so a weak secret must not fall to an offline dictionary: each
 * guess costs a PBKDF2 stretch of {@value SharedSecrets#STRETCH_ITERATIONS} iterations.
 */
class SecretStretchingTest {

  private static final String WEAK = "game-secret-2024";

  /** 2,617 guesses of the kind that found the weak secret before, the secret among them. */
  private static List<String> dictionary() {
    List<String> guesses = new ArrayList<>();
    for (String word : List.of("game", "server", "cluster", "lobby", "frpc", "skynet", "match")) {
      for (String middle : List.of("-secret-", "_secret_", "-key-", "-pass-", "secret")) {
        for (int year = 1950; year <= 2024; year++) {
          guesses.add(word + middle + year);
        }
      }
    }
    return guesses.subList(guesses.size() - 2617, guesses.size());
  }

  private static SharedSecrets.Transcript transcript() {
    SharedSecrets.Terms terms = new SharedSecrets.Terms(1 << 20, Set.of("pubsub"));
    return new SharedSecrets.Transcript(1, new SharedSecrets.Identity("attacker", 1, "a"),
        new SharedSecrets.Identity("game", 1, "b"), new byte[32], new byte[32], new byte[32], new byte[32], terms,
        terms, new byte[0]);
  }

  @Test
  void theDictionaryThatRecoveredAWeakSecretFromARawHmacProofNoLongerDoes() {
    SharedSecrets.Transcript transcript = transcript();
    byte[] proof = new SharedSecrets(WEAK, List.of(), Map.of()).serverProof(transcript);
    byte[] message = transcript.bytes("server");
    assertThat(dictionary()).hasSize(2617).contains(WEAK);

    long found = dictionary().stream()
        .filter(guess -> MessageDigest.isEqual(Hkdf.hmac(guess.getBytes(), message), proof)).count();

    assertThat(found).isZero();
  }

  @Test
  void checkingTheDictionaryAgainstAProofCostsMoreThanAMinuteOfCpu() {
    SharedSecrets.Transcript transcript = transcript();
    byte[] proof = new SharedSecrets(WEAK, List.of(), Map.of()).serverProof(transcript);
    List<String> sample = dictionary().subList(0, 8);

    long start = System.nanoTime();
    long found = sample.stream().filter(guess -> MessageDigest.isEqual(
        new SharedSecrets(guess, List.of(), Map.of()).serverProof(transcript), proof)).count();
    Duration perGuess = Duration.ofNanos((System.nanoTime() - start) / sample.size());

    assertThat(found).isZero();
    // a lower bound on this machine: a faster one is what a patient attacker would use, hence docs/security.md
    assertThat(perGuess.multipliedBy(2617)).isGreaterThan(Duration.ofSeconds(60));
    assertThat(new SharedSecrets(WEAK, List.of(), Map.of()).serverProof(transcript)).as("the right guess matches")
        .isEqualTo(proof);
  }
}

package io.frpc.test.redis;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether {@link TestRedis} can run Redis in Docker. Kept apart from {@link DockerTestRedis} so that asking never
 * loads a Testcontainers class when Testcontainers (an optional dependency) is not on the class path.
 */
final class DockerEngine {

  private DockerEngine() {}

  /** Whether Testcontainers' Redis module is on the class path and a Docker engine answers; never throws. */
  static boolean isAvailable() {
    if (!onClassPath("com.redis.testcontainers.RedisContainer")
        || !onClassPath("org.testcontainers.DockerClientFactory")) {
      return false;
    }
    // Testcontainers logs an ERROR when it finds no engine; ask it only where an engine may be.
    boolean engineMayExist = System.getenv("DOCKER_HOST") != null
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
    if (!engineMayExist) {
      return false;
    }
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static boolean onClassPath(String className) {
    try {
      Class.forName(className, false, DockerEngine.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}

package io.frpc.discovery.redis;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Tells a command Redis answered with an error reply ({@code ERR …}, {@code NOPERM …}) from one that never got an
 * answer.
 */
final class RedisRefusal {

  private RedisRefusal() {
  }

  /** Whether Redis refused the command; {@code false} when it was unreachable or the connection closed. */
  static boolean isRefusal(DataAccessException e) {
    String answer = e.getMostSpecificCause().getMessage();
    return !(e instanceof RedisConnectionFailureException) && answer != null && answer.matches("[A-Z]+ .*");
  }
}

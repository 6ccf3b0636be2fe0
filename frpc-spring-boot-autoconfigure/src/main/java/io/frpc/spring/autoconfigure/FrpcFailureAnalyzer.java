package io.frpc.spring.autoconfigure;

import io.frpc.FrpcConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns frpc's start-up errors into Spring Boot's "APPLICATION FAILED TO START" report: what is wrong
 * and which property to change, instead of a cause buried in a long stack trace.
 */
final class FrpcFailureAnalyzer extends AbstractFailureAnalyzer<FrpcConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, FrpcConfigurationException cause) {
    String problem = cause.getMessage();
    if (cause.action() != null && problem.endsWith("; " + cause.action())) {
      problem = problem.substring(0, problem.length() - cause.action().length() - 2);
    }
    String description = "frpc cannot start: " + problem
        + (cause.property() == null ? "" : "\n\nProperty: " + cause.property());
    String action = cause.action() == null ? "Review the frpc.* configuration." : capitalize(cause.action()) + ".";
    return new FailureAnalysis(description, action, cause);
  }

  private static String capitalize(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}

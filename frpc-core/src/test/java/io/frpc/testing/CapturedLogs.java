package io.frpc.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects what a logger (and its children) logs while open, from any thread, and keeps it out of the
 * build output: a test that provokes a WARN or an ERROR asserts it here instead of printing it.
 */
public final class CapturedLogs implements AutoCloseable {

  private final Logger logger;
  private final boolean wasAdditive;
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
      events.add(event);
    }
  };

  private CapturedLogs(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    wasAdditive = logger.isAdditive();
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
  }

  /** Starts capturing {@code name} and the loggers below it. */
  public static CapturedLogs of(String name) {
    return new CapturedLogs(name);
  }

  /** Everything captured so far, in order. */
  public List<ILoggingEvent> events() {
    return List.copyOf(events);
  }

  /** The formatted messages logged at {@code level}. */
  public List<String> messages(Level level) {
    return events.stream().filter(event -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setAdditive(wasAdditive);
    appender.stop();
  }
}

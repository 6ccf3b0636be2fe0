package io.frpc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty's leak detector (PARANOID in the build) reports a leaked buffer while
 * it ran. Registered for every test class through the JUnit extension auto-detection.
 */
public final class NettyLeakExtension implements BeforeAllCallback, AfterAllCallback {

  private final List<String> leaks = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> recorder = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      if (event.getFormattedMessage().contains("LEAK")) {
        leaks.add(event.getFormattedMessage());
      }
    }
  };

  @Override
  public void beforeAll(ExtensionContext context) {
    recorder.start();
    detectorLogger().addAppender(recorder);
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    try {
      // Leaks are reported when a collected buffer is noticed on a later allocation.
      for (int round = 0; round < 5 && leaks.isEmpty(); round++) {
        System.gc();
        Thread.sleep(20);
        ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(16);
        probe.release();
      }
    } finally {
      detectorLogger().detachAppender(recorder);
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s) in "
          + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
    }
  }

  private static Logger detectorLogger() {
    return (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
  }
}

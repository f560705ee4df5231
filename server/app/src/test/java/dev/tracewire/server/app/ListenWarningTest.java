package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tracewire.server.storage.InMemorySpanStore;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ListenWarningTest {
  @Test
  void beyondLoopbackWithoutToken_warnsLoudly() {
    Logger logger = (Logger) LoggerFactory.getLogger(TracewireServer.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try (InMemorySpanStore store = InMemorySpanStore.create();
        TracewireServer server =
            TracewireServer.start(TestServers.freePorts().listen("0.0.0.0").build(), store)) {
      assertThat(events.list)
          .anySatisfy(
              e -> {
                assertThat(e.getLevel().toString()).isEqualTo("WARN");
                assertThat(e.getFormattedMessage()).contains("0.0.0.0", "WITHOUT --token");
              });
    } finally {
      logger.detachAppender(events);
    }
  }

  @Test
  void loopback_doesNotWarn() {
    Logger logger = (Logger) LoggerFactory.getLogger(TracewireServer.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try (InMemorySpanStore store = InMemorySpanStore.create();
        TracewireServer server = TestServers.start(store)) {
      assertThat(events.list)
          .noneSatisfy(e -> assertThat(e.getLevel().toString()).isEqualTo("WARN"));
      assertThat(events.list).isNotEmpty();
    } finally {
      logger.detachAppender(events);
    }
  }
}

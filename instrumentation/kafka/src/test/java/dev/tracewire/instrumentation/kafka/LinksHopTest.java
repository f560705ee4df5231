package dev.tracewire.instrumentation.kafka;

import dev.tracewire.testing.TraceCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hop suite with {@link BatchPolicy#LINKS}: the poll's receive span links the producer. */
class LinksHopTest extends KafkaHopSuite {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();
  static Peers peers;

  @BeforeAll
  static void startPeers() throws Exception {
    peers = new Peers(kafka, capture, BatchPolicy.LINKS);
  }

  @AfterAll
  static void stopPeers() {
    peers.close();
  }

  @Override
  Peers peers() {
    return peers;
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected boolean linked() {
    return true;
  }
}

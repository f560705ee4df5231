package dev.tracewire.testing;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hop suite's batch variant: the consumer's span links to the producer's. */
class InProcessBatchHopTest extends HopSuite {
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  static final ExecutorService calleeThread = Executors.newSingleThreadExecutor();
  final LinkedBlockingQueue<Map<String, String>> queue = new LinkedBlockingQueue<>();

  @AfterAll
  static void stop() {
    calleeThread.shutdownNow();
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected String transport() {
    return "messaging";
  }

  @Override
  protected boolean linked() {
    return true;
  }

  @Override
  protected boolean carriesBaggage() {
    return false;
  }

  @Override
  protected void send() {
    InProcessHop.send(capture.service(CALLER), false, queue::add);
  }

  @Override
  protected void receive() throws Exception {
    Map<String, String> headers = queue.poll(10, TimeUnit.SECONDS);
    HopSuite.leakChecked(calleeThread)
        .execute(
            () ->
                InProcessHop.receiveLinked(
                    capture.service(CALLEE), headers, HopSuite::calleeHandled));
  }
}

package dev.tracewire.testing;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hop suite over a queue of header maps handled on another thread. */
class InProcessHopTest extends HopSuite {
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
  protected void send() {
    InProcessHop.send(capture.service(CALLER), false, queue::add);
  }

  @Override
  protected void receive() throws Exception {
    Map<String, String> headers = queue.poll(10, TimeUnit.SECONDS);
    HopSuite.leakChecked(calleeThread)
        .execute(
            () ->
                InProcessHop.receive(
                    capture.service(CALLEE), headers, false, HopSuite::calleeHandled));
  }
}

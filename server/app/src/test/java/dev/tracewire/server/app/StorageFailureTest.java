package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.TraceId;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A failed write is never acknowledged: the sender is told to retry, and the retry stores it. */
class StorageFailureTest {
  @Test
  void failedWrite_is503WithRetryAfter_thenRetryIsStored() throws Exception {
    GatedStore store = new GatedStore();
    store.open();
    store.failNext(1);
    try (TracewireServer server = TestServers.start(store)) {
      byte[] body = KillNineTest.request("7bf92f3577b34da6a3ce929d0e0e4736").toByteArray();

      HttpResponse<byte[]> failed =
          Http.post(server.otlpHttpPort(), "/v1/traces", "application/x-protobuf", body);
      HttpResponse<byte[]> retried =
          Http.post(server.otlpHttpPort(), "/v1/traces", "application/x-protobuf", body);

      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(failed.headers().firstValue("retry-after")).hasValue("1");
      assertThat(com.google.rpc.Status.parseFrom(failed.body()).getCode()).isEqualTo(14);
      assertThat(retried.statusCode()).isEqualTo(200);
      assertThat(store.trace(TraceId.fromHex("7bf92f3577b34da6a3ce929d0e0e4736")))
          .hasSize(KillNineTest.SPANS_PER_REQUEST);
      assertThat(server.metricsText())
          .contains("tracewire_spans_storage_failed_total " + KillNineTest.SPANS_PER_REQUEST);
    } finally {
      store.close();
    }
  }
}

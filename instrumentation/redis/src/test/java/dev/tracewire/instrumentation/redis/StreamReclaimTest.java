package dev.tracewire.instrumentation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.testing.TraceCapture;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer reads an entry and dies before XACK; another reclaims the pending entry (XCLAIM,
 * XAUTOCLAIM) and its process span still continues the original XADD.
 */
class StreamReclaimTest {
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  RedisClient client;
  StatefulRedisConnection<String, String> connection;
  RedisCommands<String, String> commands;
  String stream = RedisServer.key("reclaim");

  @BeforeEach
  void connect() {
    client = RedisServer.client();
    connection = client.connect();
    commands = connection.sync();
    commands.xgroupCreate(
        XReadArgs.StreamOffset.from(stream, "$"), "workers", XGroupCreateArgs.Builder.mkstream());
  }

  @AfterEach
  void disconnect() {
    commands.del(stream);
    connection.close();
    client.shutdown();
  }

  @Test
  void xclaim_reclaimedEntryContinuesTheOriginalPublish() {
    String id = readWithoutAck();
    List<StreamMessage<String, String>> claimed =
        commands.xclaim(stream, Consumer.from("workers", "rescuer"), 0, id);
    assertThat(claimed).hasSize(1);
    RedisTracing.create(capture.service("rescuer")).process("workers", claimed.get(0), e -> {});
    assertBothProcessesContinuePublish();
  }

  @Test
  void xautoclaim_reclaimedEntryContinuesTheOriginalPublish() {
    readWithoutAck();
    List<StreamMessage<String, String>> claimed =
        commands
            .xautoclaim(
                stream,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from("workers", "rescuer"), 0, "0-0"))
            .getMessages();
    assertThat(claimed).hasSize(1);
    RedisTracing.create(capture.service("rescuer")).process("workers", claimed.get(0), e -> {});
    assertBothProcessesContinuePublish();
  }

  String readWithoutAck() {
    String id =
        RedisTracing.create(capture.service("orders")).xadd(commands, stream, Map.of("order", "1"));
    List<StreamMessage<String, String>> read =
        commands.xreadgroup(
            Consumer.from("workers", "crashes"), XReadArgs.StreamOffset.lastConsumed(stream));
    assertThat(read).hasSize(1);
    RedisTracing.create(capture.service("worker")).process("workers", read.get(0), e -> {});
    return id;
  }

  void assertBothProcessesContinuePublish() {
    List<SpanData> spans = capture.awaitSpans(3);
    SpanData publish =
        spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
    List<SpanData> processes =
        spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
    assertThat(processes).hasSize(2);
    assertThat(processes)
        .allSatisfy(
            p -> {
              assertThat(p.getTraceId()).isEqualTo(publish.getTraceId());
              assertThat(p.getParentSpanId()).isEqualTo(publish.getSpanId());
            });
    dev.tracewire.testing.TraceAssert.assertThat(capture.trace(publish.getTraceId()))
        .isUnbroken()
        .hasHop("orders", "worker", "redis")
        .hasHop("orders", "rescuer", "redis");
  }

  @Test
  void unreachableServer_failsNamingRedisAndItsStartCommand() {
    assertThatThrownBy(() -> RedisServer.client(1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Redis not reachable at 127.0.0.1:1")
        .hasMessageContaining("redis-server --daemonize yes");
  }
}

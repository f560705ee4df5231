package dev.tracewire.server.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Span;
import org.junit.jupiter.api.Test;

class TransportTest {
  static Transport of(String key, String value) {
    return Transport.of(
        Span.newBuilder().attributes(Attributes.newBuilder().put(key, value).build()).build());
  }

  @Test
  void messagingSystems_mapToTheVocabulary() {
    assertThat(of("messaging.system", "kafka")).isEqualTo(Transport.KAFKA);
    assertThat(of("messaging.system", "rabbitmq")).isEqualTo(Transport.RABBITMQ);
    assertThat(of("messaging.system", "nats")).isEqualTo(Transport.NATS);
    assertThat(of("messaging.system", "mqtt")).isEqualTo(Transport.MQTT);
    assertThat(of("messaging.system", "aws_sqs")).isEqualTo(Transport.MESSAGING);
  }

  @Test
  void rpcAndHttp_currentAndOlderSemconvAndZipkinTags() {
    assertThat(of("rpc.system", "grpc")).isEqualTo(Transport.GRPC);
    assertThat(of("grpc.status_code", "0")).isEqualTo(Transport.GRPC);
    assertThat(of("http.request.method", "GET")).isEqualTo(Transport.HTTP);
    assertThat(of("http.method", "GET")).isEqualTo(Transport.HTTP);
    assertThat(of("http.path", "/a")).isEqualTo(Transport.HTTP);
    assertThat(of("db.system", "redis")).isEqualTo(Transport.REDIS);
    assertThat(of("db.system", "postgresql")).isEqualTo(Transport.UNKNOWN);
  }

  @Test
  void wireNames_roundTrip() {
    for (Transport t : Transport.values()) {
      assertThat(Transport.fromWireName(t.wireName())).isSameAs(t);
    }
    for (FindingKind k : FindingKind.values()) {
      assertThat(FindingKind.fromWireName(k.wireName())).isSameAs(k);
    }
    for (Blame b : Blame.values()) {
      assertThat(Blame.fromWireName(b.wireName())).isSameAs(b);
    }
  }

  @Test
  void routes_templateMatchesPath() {
    assertThat(Routes.matches("/users/{id}", "/users/42")).isTrue();
    assertThat(Routes.matches("/users/:id/orders", "/users/42/orders")).isTrue();
    assertThat(Routes.matches("/users/{id}", "/users/42/orders")).isFalse();
    assertThat(Routes.matches("/static/*", "/static/a/b.js")).isTrue();
    assertThat(Routes.matches("/users", "/orders")).isFalse();
  }
}

package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.GetResponse;
import io.opentelemetry.context.Context;

/** A {@link GetResponse} that remembers the context to process it in. */
final class TracedGetResponse extends GetResponse {
  final Context context;

  TracedGetResponse(GetResponse response, Context context) {
    super(
        response.getEnvelope(),
        response.getProps(),
        response.getBody(),
        response.getMessageCount());
    this.context = context;
  }
}

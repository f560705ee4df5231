package dev.tracewire.instrumentation.cloudevents;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/**
 * The semantic conventions' {@code cloudevents.*} attributes and, on processing, the hop
 * diagnostics of the event's tracing extension.
 */
enum EventAttributesExtractor implements AttributesExtractor<EventRequest, Void> {
  INSTANCE;

  static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("cloudevents.event_id");
  static final AttributeKey<String> EVENT_SOURCE =
      AttributeKey.stringKey("cloudevents.event_source");
  static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("cloudevents.event_type");
  static final AttributeKey<String> EVENT_SUBJECT =
      AttributeKey.stringKey("cloudevents.event_subject");
  static final AttributeKey<String> EVENT_SPEC_VERSION =
      AttributeKey.stringKey("cloudevents.event_spec_version");

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, EventRequest request) {
    attributes.put(EVENT_ID, request.event.getId());
    if (request.event.getSource() != null) {
      attributes.put(EVENT_SOURCE, request.event.getSource().toString());
    }
    attributes.put(EVENT_TYPE, request.event.getType());
    if (request.event.getSubject() != null)
      attributes.put(EVENT_SUBJECT, request.event.getSubject());
    attributes.put(EVENT_SPEC_VERSION, request.event.getSpecVersion().toString());
    HopDiagnostics diagnostics = request.diagnostics();
    if (diagnostics != null) diagnostics.putAttributes(attributes);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      EventRequest request,
      Void response,
      Throwable error) {}
}

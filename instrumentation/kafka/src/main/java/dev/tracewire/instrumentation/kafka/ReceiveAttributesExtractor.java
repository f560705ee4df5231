package dev.tracewire.instrumentation.kafka;

import dev.tracewire.propagation.Format;
import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Hop diagnostics of a whole poll: the union of what each record's headers carried, and the format
 * used when every record agreed on it. Each producer is reached through a span link, so there is no
 * single remote parent to record.
 */
enum ReceiveAttributesExtractor implements AttributesExtractor<ReceiveRequest, Void> {
  INSTANCE;

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, ReceiveRequest request) {
    if (request.consumerGroup != null) {
      attributes.put(KafkaAttributes.CONSUMER_GROUP, request.consumerGroup);
    }
    attributes.put(KafkaAttributes.BATCH_COUNT, (long) request.records.size());

    EnumSet<Format> received = EnumSet.noneOf(Format.class);
    EnumSet<Format> invalid = EnumSet.noneOf(Format.class);
    EnumSet<Format> conflicts = EnumSet.noneOf(Format.class);
    Format used = null;
    boolean sameUsed = true;
    boolean any = false;
    for (Context extracted : request.extracted) {
      HopDiagnostics diagnostics = HopDiagnostics.fromContext(extracted);
      if (diagnostics == null) continue;
      received.addAll(diagnostics.received());
      invalid.addAll(diagnostics.invalid());
      conflicts.addAll(diagnostics.conflicts());
      if (!any) {
        used = diagnostics.used();
      } else if (used != diagnostics.used()) {
        sameUsed = false;
      }
      any = true;
    }
    if (!any) return; // the propagator is not Tracewire's: nothing to report
    attributes.put(HopAttributes.RECEIVED, ids(received));
    if (!invalid.isEmpty()) attributes.put(HopAttributes.INVALID, ids(invalid));
    if (!conflicts.isEmpty()) attributes.put(HopAttributes.CONFLICT, ids(conflicts));
    if (sameUsed && used != null) attributes.put(HopAttributes.USED, used.id());
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      ReceiveRequest request,
      Void unused,
      Throwable error) {}

  private static List<String> ids(EnumSet<Format> formats) {
    List<String> ids = new ArrayList<>(formats.size());
    for (Format format : formats) ids.add(format.id());
    return ids;
  }
}

package dev.tracewire.instrumentation.kafka;

/**
 * How a consumer records the records one {@code poll} returned.
 *
 * <p>{@code KafkaTracing.newBuilder(openTelemetry).batchPolicy(BatchPolicy.BOTH).build()}
 */
public enum BatchPolicy {
  /**
   * One CONSUMER span per non-empty poll ({@code receive}), linking every record's producer span:
   * the OpenTelemetry semantic conventions' batch shape. Processing continues under that span.
   */
  LINKS,
  /**
   * One CONSUMER span per record ({@code process}), the child of that record's producer span: every
   * hop reads as an unbroken parent-child edge. Processing continues under the record's span.
   */
  PER_RECORD,
  /** Both: the linking receive span and, per record, a process span parented on its producer. */
  BOTH;

  boolean receiveSpan() {
    return this != PER_RECORD;
  }

  boolean recordSpans() {
    return this != LINKS;
  }
}

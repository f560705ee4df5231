package dev.tracewire.instrumentation.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.testing.protobuf.SimpleRequest;
import java.util.List;

/**
 * The field the tests carry per-message context in. SimpleRequest declares only its payload ({@code
 * requestMessage = 1}); a user would add {@code string trace_context = 15;} to their own message.
 * Field 15 written through the unknown-field set is the same bytes on the wire as that declared
 * string field, and grpc-java's protobuf marshaller keeps it, so the tests exercise exactly what
 * such a user runs without generating code.
 */
final class TraceContextField {
  static final int NUMBER = 15;

  static final MessageCarrier<SimpleRequest> CARRIER =
      MessageCarrier.stringField(TraceContextField::get, TraceContextField::set);

  static String get(SimpleRequest request) {
    List<ByteString> values = request.getUnknownFields().getField(NUMBER).getLengthDelimitedList();
    return values.isEmpty() ? null : values.get(values.size() - 1).toStringUtf8();
  }

  static SimpleRequest set(SimpleRequest request, String value) {
    UnknownFieldSet fields =
        UnknownFieldSet.newBuilder(request.getUnknownFields())
            .addField(
                NUMBER,
                UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(ByteString.copyFromUtf8(value))
                    .build())
            .build();
    return request.toBuilder().setUnknownFields(fields).build();
  }

  private TraceContextField() {}
}

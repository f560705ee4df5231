package dev.tracewire.server.app;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.tracewire.server.ingest.DecodeResult;
import dev.tracewire.server.ingest.OtlpProtoDecoder;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

/**
 * OTLP/gRPC {@code TraceService/Export}. A full queue answers RESOURCE_EXHAUSTED with a RetryInfo
 * detail, which OTLP exporters read as "retry after this delay"; a storage failure answers
 * UNAVAILABLE. The response is sent only after the spans are durable.
 */
final class OtlpGrpcService extends TraceServiceGrpc.TraceServiceImplBase {
  private final Ingest ingest;

  OtlpGrpcService(Ingest ingest) {
    this.ingest = ingest;
  }

  @Override
  public void export(
      ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
    DecodeResult decoded = OtlpProtoDecoder.decode(request);
    Ingest.Outcome outcome = ingest.submit("otlp_grpc", decoded);
    switch (outcome.kind()) {
      case MALFORMED:
        observer.onError(status(Code.INVALID_ARGUMENT, decoded.malformedReason(), false));
        return;
      case QUEUE_FULL:
        observer.onError(status(Code.RESOURCE_EXHAUSTED, "ingest queue full; retry", true));
        return;
      default:
        outcome
            .durable()
            .whenComplete(
                (ok, failure) -> {
                  if (failure != null) {
                    observer.onError(status(Code.UNAVAILABLE, "storage unavailable; retry", true));
                    return;
                  }
                  ExportTraceServiceResponse.Builder response =
                      ExportTraceServiceResponse.newBuilder();
                  if (decoded.rejectedCount() > 0) {
                    response.setPartialSuccess(
                        ExportTracePartialSuccess.newBuilder()
                            .setRejectedSpans(decoded.rejectedCount())
                            .setErrorMessage(decoded.firstRejection()));
                  }
                  observer.onNext(response.build());
                  observer.onCompleted();
                });
    }
  }

  static StatusRuntimeException status(Code code, String message, boolean retryInfo) {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
    if (retryInfo) {
      status.addDetails(
          Any.pack(
              RetryInfo.newBuilder()
                  .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                  .build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}

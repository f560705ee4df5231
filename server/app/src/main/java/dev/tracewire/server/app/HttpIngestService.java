package dev.tracewire.server.app;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tracewire.server.ingest.DecodeResult;
import dev.tracewire.server.ingest.SpanFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /v1/traces} (OTLP/HTTP, protobuf or JSON) and {@code POST /api/v2/spans} (Zipkin v2,
 * JSON or proto3), gzip or plain. Answers only after the spans are durable.
 */
final class HttpIngestService implements HttpService {
  /** Which protocol this endpoint speaks; it decides formats and response shapes. */
  enum Protocol {
    OTLP,
    ZIPKIN
  }

  static final String RETRY_AFTER_SECONDS = "1";

  private final Protocol protocol;
  private final Ingest ingest;
  private final int maxBodyBytes;

  HttpIngestService(Protocol protocol, Ingest ingest, int maxBodyBytes) {
    this.protocol = protocol;
    this.ingest = ingest;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return HttpResponse.of(
          HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8, "POST spans here");
    }
    String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    SpanFormat format =
        protocol == Protocol.OTLP
            ? SpanFormat.otlpForContentType(contentType)
            : SpanFormat.zipkinForContentType(contentType);
    if (format == null) {
      ingest.metrics().rejectedRequest("unsupported_media_type");
      return HttpResponse.of(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          MediaType.PLAIN_TEXT_UTF_8,
          "Content-Type: "
              + contentType
              + " (expected: "
              + (protocol == Protocol.OTLP
                  ? "application/x-protobuf or application/json)"
                  : "application/json or application/x-protobuf)"));
    }
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    CompletableFuture<HttpResponse> response =
        req.aggregate()
            .thenApplyAsync(agg -> handle(agg, format, encoding), ctx.blockingTaskExecutor())
            .thenCompose(f -> f);
    return HttpResponse.of(response);
  }

  private CompletableFuture<HttpResponse> handle(
      AggregatedHttpRequest agg, SpanFormat format, String encoding) {
    byte[] body;
    if (encoding == null || encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
      body = agg.content().array();
    } else if (encoding.equalsIgnoreCase("gzip")) {
      try {
        body = gunzip(agg.content().array(), maxBodyBytes);
      } catch (IOException e) {
        ingest.metrics().rejectedRequest("malformed");
        return done(
            error(format, HttpStatus.BAD_REQUEST, 3, "invalid gzip body: " + e.getMessage()));
      }
      if (body == null) {
        ingest.metrics().rejectedRequest("too_large");
        return done(
            error(
                format,
                HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                3,
                "body inflates past " + maxBodyBytes + " bytes"));
      }
    } else {
      ingest.metrics().rejectedRequest("unsupported_media_type");
      return done(
          HttpResponse.of(
              HttpStatus.UNSUPPORTED_MEDIA_TYPE,
              MediaType.PLAIN_TEXT_UTF_8,
              "Content-Encoding: " + encoding + " (expected: gzip or none)"));
    }
    Ingest.Outcome outcome = ingest.submit(transport(format), format, body);
    switch (outcome.kind()) {
      case MALFORMED:
        return done(error(format, HttpStatus.BAD_REQUEST, 3, outcome.decoded().malformedReason()));
      case QUEUE_FULL:
        return done(
            withRetryAfter(
                error(
                    format,
                    HttpStatus.TOO_MANY_REQUESTS,
                    8,
                    "ingest queue full; retry after " + RETRY_AFTER_SECONDS + "s")));
      default:
        return outcome
            .durable()
            .handle(
                (ok, failure) ->
                    failure == null
                        ? success(format, outcome.decoded())
                        : withRetryAfter(
                            error(
                                format,
                                HttpStatus.SERVICE_UNAVAILABLE,
                                14,
                                "storage unavailable; retry")));
    }
  }

  private static String transport(SpanFormat format) {
    switch (format) {
      case OTLP_PROTO:
        return "otlp_http_protobuf";
      case OTLP_JSON:
        return "otlp_http_json";
      case ZIPKIN_JSON:
        return "zipkin_json";
      default:
        return "zipkin_proto3";
    }
  }

  private HttpResponse success(SpanFormat format, DecodeResult decoded) {
    if (protocol == Protocol.ZIPKIN) return HttpResponse.of(HttpStatus.ACCEPTED);
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (decoded.rejectedCount() > 0) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(decoded.rejectedCount())
              .setErrorMessage(decoded.firstRejection()));
    }
    if (format == SpanFormat.OTLP_PROTO) {
      return HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF, response.build().toByteArray());
    }
    String json =
        decoded.rejectedCount() == 0
            ? "{}"
            : "{\"partialSuccess\":{\"rejectedSpans\":\""
                + decoded.rejectedCount()
                + "\",\"errorMessage\":\""
                + escape(decoded.firstRejection())
                + "\"}}";
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, json);
  }

  /** OTLP errors carry a google.rpc.Status; Zipkin's are plain text, as Zipkin's server does. */
  private HttpResponse error(SpanFormat format, HttpStatus status, int grpcCode, String message) {
    if (protocol == Protocol.ZIPKIN) {
      return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message);
    }
    if (format == SpanFormat.OTLP_PROTO) {
      byte[] body =
          com.google.rpc.Status.newBuilder()
              .setCode(grpcCode)
              .setMessage(message)
              .build()
              .toByteArray();
      return HttpResponse.of(status, MediaType.PROTOBUF, body);
    }
    return HttpResponse.of(
        status,
        MediaType.JSON_UTF_8,
        "{\"code\":" + grpcCode + ",\"message\":\"" + escape(message) + "\"}");
  }

  private static HttpResponse withRetryAfter(HttpResponse response) {
    return response.mapHeaders(
        headers ->
            headers.toBuilder().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS).build());
  }

  private static String escape(String s) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(s));
  }

  private static CompletableFuture<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /** Inflates {@code gzip}, or returns {@code null} when it inflates past {@code limit}. */
  static byte[] gunzip(byte[] gzip, int limit) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, gzip.length * 4));
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + n > limit) return null;
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }
}

package dev.tracewire.server.ingest;

/**
 * The wire formats the server accepts, each decoding a whole request body into spans.
 *
 * <pre>{@code
 * DecodeResult result = SpanFormat.forContentType("application/x-protobuf", SpanFormat.OTLP_PROTO)
 *     .decode(body);
 * }</pre>
 */
public enum SpanFormat {
  /** OTLP {@code ExportTraceServiceRequest} in protobuf (gRPC and HTTP). */
  OTLP_PROTO {
    @Override
    public DecodeResult decode(byte[] body) {
      return OtlpProtoDecoder.decode(body);
    }
  },
  /** OTLP {@code ExportTraceServiceRequest} in OTLP/JSON. */
  OTLP_JSON {
    @Override
    public DecodeResult decode(byte[] body) {
      return OtlpJsonDecoder.decode(body);
    }
  },
  /** A Zipkin v2 JSON list of spans. */
  ZIPKIN_JSON {
    @Override
    public DecodeResult decode(byte[] body) {
      return ZipkinDecoder.decode(body, zipkin2.codec.SpanBytesDecoder.JSON_V2);
    }
  },
  /** Zipkin v2 {@code ListOfSpans} in proto3. */
  ZIPKIN_PROTO3 {
    @Override
    public DecodeResult decode(byte[] body) {
      return ZipkinDecoder.decode(body, zipkin2.codec.SpanBytesDecoder.PROTO3);
    }
  };

  /** Decodes a whole body; never throws on bad input (see {@link DecodeResult#isMalformed()}). */
  public abstract DecodeResult decode(byte[] body);

  /**
   * Picks the OTLP format for an HTTP {@code Content-Type}: JSON for {@code application/json},
   * protobuf for {@code application/x-protobuf} or {@code application/protobuf}, else {@code null}.
   */
  public static SpanFormat otlpForContentType(String contentType) {
    String type = mediaType(contentType);
    if (type.equals("application/json")) return OTLP_JSON;
    if (type.equals("application/x-protobuf") || type.equals("application/protobuf")) {
      return OTLP_PROTO;
    }
    return null;
  }

  /**
   * Picks the Zipkin format for an HTTP {@code Content-Type}: proto3 for {@code
   * application/x-protobuf}, JSON for JSON or a missing type (as Zipkin's server does), else {@code
   * null}.
   */
  public static SpanFormat zipkinForContentType(String contentType) {
    String type = mediaType(contentType);
    if (type.isEmpty() || type.equals("application/json")) return ZIPKIN_JSON;
    if (type.equals("application/x-protobuf") || type.equals("application/protobuf")) {
      return ZIPKIN_PROTO3;
    }
    return null;
  }

  private static String mediaType(String contentType) {
    if (contentType == null) return "";
    int semi = contentType.indexOf(';');
    String type = semi < 0 ? contentType : contentType.substring(0, semi);
    return type.trim().toLowerCase(java.util.Locale.ROOT);
  }
}

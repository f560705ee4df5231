package dev.tracewire.instrumentation.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesGetter;
import java.net.InetSocketAddress;
import java.util.List;

/** Semantic-convention attributes of a JDK HttpServer exchange; it is request and response. */
enum JdkServerAttributesGetter implements HttpServerAttributesGetter<HttpExchange, HttpExchange> {
  INSTANCE;

  @Override
  public String getHttpRequestMethod(HttpExchange exchange) {
    return exchange.getRequestMethod();
  }

  @Override
  public String getUrlScheme(HttpExchange exchange) {
    return exchange instanceof HttpsExchange ? "https" : "http";
  }

  @Override
  public String getUrlPath(HttpExchange exchange) {
    return exchange.getRequestURI().getRawPath();
  }

  @Override
  public String getUrlQuery(HttpExchange exchange) {
    return exchange.getRequestURI().getRawQuery();
  }

  /**
   * The path of the {@code HttpContext} that matched: the handler the application registered. The
   * root context matches every path, so it is a route only for "/" itself.
   */
  @Override
  public String getHttpRoute(HttpExchange exchange) {
    String context = exchange.getHttpContext().getPath();
    if (!context.equals("/")) return context;
    return "/".equals(exchange.getRequestURI().getRawPath()) ? "/" : null;
  }

  @Override
  public List<String> getHttpRequestHeader(HttpExchange exchange, String name) {
    List<String> values = exchange.getRequestHeaders().get(name);
    return values == null ? List.of() : values;
  }

  @Override
  public Integer getHttpResponseStatusCode(
      HttpExchange exchange, HttpExchange response, Throwable error) {
    int code = exchange.getResponseCode();
    if (code > 0) return code;
    return error != null ? 500 : null;
  }

  @Override
  public List<String> getHttpResponseHeader(
      HttpExchange exchange, HttpExchange response, String name) {
    List<String> values = exchange.getResponseHeaders().get(name);
    return values == null ? List.of() : values;
  }

  @Override
  public String getNetworkProtocolName(HttpExchange exchange, HttpExchange response) {
    return Protocols.name(exchange.getProtocol());
  }

  @Override
  public String getNetworkProtocolVersion(HttpExchange exchange, HttpExchange response) {
    return Protocols.version(exchange.getProtocol());
  }

  @Override
  public InetSocketAddress getNetworkPeerInetSocketAddress(
      HttpExchange exchange, HttpExchange response) {
    return exchange.getRemoteAddress();
  }

  @Override
  public InetSocketAddress getNetworkLocalInetSocketAddress(
      HttpExchange exchange, HttpExchange response) {
    return exchange.getLocalAddress();
  }
}

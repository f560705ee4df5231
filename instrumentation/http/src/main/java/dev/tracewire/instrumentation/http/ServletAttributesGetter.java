package dev.tracewire.instrumentation.http;

import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesGetter;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.util.Collections;
import java.util.List;

/** Semantic-convention attributes of a servlet request and response. */
enum ServletAttributesGetter
    implements HttpServerAttributesGetter<HttpServletRequest, HttpServletResponse> {
  INSTANCE;

  @Override
  public String getHttpRequestMethod(HttpServletRequest request) {
    return request.getMethod();
  }

  @Override
  public String getUrlScheme(HttpServletRequest request) {
    return request.getScheme();
  }

  @Override
  public String getUrlPath(HttpServletRequest request) {
    return request.getRequestURI();
  }

  @Override
  public String getUrlQuery(HttpServletRequest request) {
    return request.getQueryString();
  }

  /** The servlet mapping that matched, under the context path: {@code /shop/pay/*}. */
  @Override
  public String getHttpRoute(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping == null || mapping.getMappingMatch() == null) return null;
    String contextPath = request.getContextPath();
    MappingMatch match = mapping.getMappingMatch();
    if (match == MappingMatch.CONTEXT_ROOT) return contextPath.isEmpty() ? "/" : contextPath;
    if (match == MappingMatch.DEFAULT) return contextPath + "/*";
    return contextPath + mapping.getPattern();
  }

  @Override
  public List<String> getHttpRequestHeader(HttpServletRequest request, String name) {
    return Collections.list(request.getHeaders(name));
  }

  @Override
  public Integer getHttpResponseStatusCode(
      HttpServletRequest request, HttpServletResponse response, Throwable error) {
    int status = response.getStatus();
    // an exception that escaped the filter chain becomes a 500 once the container sees it
    if (error != null && status < 400) return 500;
    return status;
  }

  @Override
  public List<String> getHttpResponseHeader(
      HttpServletRequest request, HttpServletResponse response, String name) {
    return List.copyOf(response.getHeaders(name));
  }

  @Override
  public String getNetworkProtocolName(HttpServletRequest request, HttpServletResponse response) {
    return Protocols.name(request.getProtocol());
  }

  @Override
  public String getNetworkProtocolVersion(
      HttpServletRequest request, HttpServletResponse response) {
    return Protocols.version(request.getProtocol());
  }

  @Override
  public String getNetworkPeerAddress(HttpServletRequest request, HttpServletResponse response) {
    return request.getRemoteAddr();
  }

  @Override
  public Integer getNetworkPeerPort(HttpServletRequest request, HttpServletResponse response) {
    return request.getRemotePort();
  }

  @Override
  public String getNetworkLocalAddress(HttpServletRequest request, HttpServletResponse response) {
    return request.getLocalAddr();
  }

  @Override
  public Integer getNetworkLocalPort(HttpServletRequest request, HttpServletResponse response) {
    return request.getLocalPort();
  }
}

package dev.tracewire.instrumentation.http;

import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesGetter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Semantic-convention attributes of a JDK HttpClient exchange. */
enum JdkClientAttributesGetter implements HttpClientAttributesGetter<HttpRequest, HttpResponse<?>> {
  INSTANCE;

  @Override
  public String getHttpRequestMethod(HttpRequest request) {
    return request.method();
  }

  @Override
  public String getUrlFull(HttpRequest request) {
    return request.uri().toString();
  }

  @Override
  public List<String> getHttpRequestHeader(HttpRequest request, String name) {
    return request.headers().allValues(name);
  }

  @Override
  public Integer getHttpResponseStatusCode(
      HttpRequest request, HttpResponse<?> response, Throwable error) {
    return response == null ? null : response.statusCode();
  }

  @Override
  public List<String> getHttpResponseHeader(
      HttpRequest request, HttpResponse<?> response, String name) {
    return response == null ? List.of() : response.headers().allValues(name);
  }

  @Override
  public String getServerAddress(HttpRequest request) {
    return request.uri().getHost();
  }

  @Override
  public Integer getServerPort(HttpRequest request) {
    URI uri = request.uri();
    if (uri.getPort() != -1) return uri.getPort();
    if ("https".equalsIgnoreCase(uri.getScheme())) return 443;
    if ("http".equalsIgnoreCase(uri.getScheme())) return 80;
    return null;
  }

  @Override
  public String getNetworkProtocolName(HttpRequest request, HttpResponse<?> response) {
    return response == null ? null : "http";
  }

  @Override
  public String getNetworkProtocolVersion(HttpRequest request, HttpResponse<?> response) {
    if (response == null) return null;
    return response.version() == HttpClient.Version.HTTP_2 ? "2" : "1.1";
  }
}

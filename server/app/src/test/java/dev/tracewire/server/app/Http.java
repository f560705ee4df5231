package dev.tracewire.server.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client for tests: the server's users are not Armeria clients. */
final class Http {
  static final HttpClient CLIENT =
      // HTTP/1.1 as OTLP/HTTP and Zipkin senders use over cleartext
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final ObjectMapper JSON = new ObjectMapper();

  static HttpResponse<byte[]> post(int port, String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return post(port, path, contentType, null, body);
  }

  static HttpResponse<byte[]> post(
      int port, String path, String contentType, String encoding, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) b.header("Content-Encoding", encoding);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<String> get(int port, String pathAndQuery)
      throws IOException, InterruptedException {
    return get(port, pathAndQuery, null);
  }

  static HttpResponse<String> get(int port, String pathAndQuery, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode getJson(int port, String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = get(port, pathAndQuery);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + pathAndQuery + " -> " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private Http() {}
}

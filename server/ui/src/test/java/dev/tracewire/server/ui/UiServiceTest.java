package dev.tracewire.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UiServiceTest {
  static final List<String> SCRIPTS =
      List.of(
          "app.js",
          "api.js",
          "dom.js",
          "search.js",
          "trace.js",
          "map.js",
          "losthops.js",
          "start.js");

  /** Ways a string becomes markup or code; span data must never reach any of them. */
  static final Pattern HTML_SINKS =
      Pattern.compile(
          "\\.(innerHTML|outerHTML)\\s*[+]?=|insertAdjacentHTML|document\\.write|\\beval\\s*\\("
              + "|new\\s+Function\\s*\\(|createContextualFragment|DOMParser|srcdoc");

  static final HttpClient http = HttpClient.newHttpClient();
  Server server;

  @BeforeEach
  void start() {
    ServerBuilder sb = Server.builder().http(0);
    UiService.addTo(sb);
    server = sb.build();
    server.start().join();
  }

  @AfterEach
  void stop() {
    server.stop().join();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.activeLocalPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void index_isTheAppPage_withAContentSecurityPolicy() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(r.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
    assertThat(r.headers().firstValue("content-security-policy"))
        .hasValue(UiService.CONTENT_SECURITY_POLICY);
    assertThat(UiService.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self';")
        .doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
  }

  @Test
  void scripts_areServedAsJavaScript() throws Exception {
    for (String script : SCRIPTS) {
      HttpResponse<String> r = get("/ui/" + script);
      assertThat(r.statusCode()).as(script).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type").orElse(""))
          .as(script)
          .contains("javascript");
      assertThat(r.headers().firstValue("content-security-policy")).isPresent();
    }
    assertThat(get("/ui/style.css").headers().firstValue("content-type").orElse(""))
        .startsWith("text/css");
  }

  @Test
  void unknownAsset_is404_andNoDirectoryListing() throws Exception {
    assertThat(get("/ui/nothing.js").statusCode()).isEqualTo(404);
    assertThat(get("/ui/").body()).doesNotContain("trace.js");
  }

  @Test
  void everyImportedModule_isShipped() throws Exception {
    Pattern importFrom = Pattern.compile("from '\\./([a-z]+\\.js)'");
    for (String script : SCRIPTS) {
      Matcher m = importFrom.matcher(resource(script));
      while (m.find()) assertThat(SCRIPTS).as(script + " imports").contains(m.group(1));
    }
  }

  @Test
  void noScript_hasAnHtmlSink() throws Exception {
    for (String script : SCRIPTS) {
      Matcher m = HTML_SINKS.matcher(resource(script));
      assertThat(m.find()).as(script + (m.hitEnd() ? "" : ": " + safeGroup(m))).isFalse();
    }
    // the check itself finds a sink
    assertThat(HTML_SINKS.matcher("row.innerHTML = span.name").find()).isTrue();
  }

  private static String safeGroup(Matcher m) {
    try {
      return m.group();
    } catch (IllegalStateException e) {
      return "";
    }
  }

  static String resource(String name) throws IOException {
    try (InputStream in =
        UiService.class.getClassLoader().getResourceAsStream(UiService.ROOT + "/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

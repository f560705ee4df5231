package dev.tracewire.server.ui;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;

/**
 * The Tracewire web UI: the page at {@code /} and its scripts and styles under {@code /ui/}, read
 * from this jar. Views live behind the URL fragment ({@code /#/trace/<id>}), so the server needs
 * only these two routes.
 *
 * <pre>{@code
 * ServerBuilder sb = Server.builder().http(16686);
 * QueryApi.create(store).addTo(sb);
 * UiService.addTo(sb);
 * }</pre>
 */
public final class UiService {
  static final String ROOT = "dev/tracewire/server/ui";

  /**
   * Span data is untrusted: the page builds DOM with textContent only, and this policy refuses
   * inline script, inline styles in markup and anything not from this origin as a second line.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
          + " form-action 'self'";

  /** Registers {@code /} and {@code /ui/*} on {@code sb}; the API routes stay the caller's. */
  public static void addTo(ServerBuilder sb) {
    ClassLoader loader = UiService.class.getClassLoader();
    HttpService index =
        HttpFile.builder(loader, ROOT + "/index.html")
            .contentType(MediaType.HTML_UTF_8)
            .cacheControl("no-cache")
            .build()
            .asService();
    HttpService assets =
        FileService.builder(loader, ROOT)
            .autoIndex(false)
            .serveCompressedFiles(false)
            .maxCacheEntries(64)
            .cacheControl("no-cache")
            .build();
    sb.service("/", index.decorate((delegate, ctx, req) -> secured(delegate.serve(ctx, req))));
    sb.serviceUnder(
        "/ui/", assets.decorate((delegate, ctx, req) -> secured(delegate.serve(ctx, req))));
    sb.service("/favicon.ico", (ctx, req) -> HttpResponse.of(HttpStatus.NO_CONTENT));
  }

  private static HttpResponse secured(HttpResponse response) {
    return response.mapHeaders(
        h ->
            h.toBuilder()
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
                .set(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
                .set(HttpHeaderNames.of("referrer-policy"), "no-referrer")
                .build());
  }

  private UiService() {}
}

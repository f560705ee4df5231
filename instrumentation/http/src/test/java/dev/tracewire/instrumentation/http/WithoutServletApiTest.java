package dev.tracewire.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Filter;
import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Users of the JDK client and server need no servlet API on their class path. */
class WithoutServletApiTest {

  @Test
  void createWrapAndServerFilter_withoutServletApi_work() throws Throwable {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.contains("servlet") || entry.contains("jetty")) continue;
      urls.add(new File(entry).toURI().toURL());
    }
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThat(loader.getResource("jakarta/servlet/Filter.class")).isNull();
      Class<?> openTelemetry = loader.loadClass("io.opentelemetry.api.OpenTelemetry");
      Class<?> httpTracing = loader.loadClass(HttpTracing.class.getName());
      assertThat(httpTracing.getClassLoader()).isSameAs(loader);
      // method handles, not Class.getMethod: that resolves the types of every public method, and
      // servletFilter() names the servlet API
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();

      Object noop =
          lookup.findStatic(openTelemetry, "noop", MethodType.methodType(openTelemetry)).invoke();
      Object tracing =
          lookup
              .findStatic(httpTracing, "create", MethodType.methodType(httpTracing, openTelemetry))
              .invoke(noop);
      Object client =
          lookup
              .findVirtual(
                  httpTracing, "wrap", MethodType.methodType(HttpClient.class, HttpClient.class))
              .invoke(tracing, HttpClient.newHttpClient());
      Object filter =
          lookup
              .findVirtual(httpTracing, "httpServerFilter", MethodType.methodType(Filter.class))
              .invoke(tracing);

      assertThat(client.getClass().getSimpleName()).isEqualTo("TracingHttpClient");
      assertThat(filter.getClass().getSimpleName()).isEqualTo("TracingHttpServerFilter");
    }
  }
}

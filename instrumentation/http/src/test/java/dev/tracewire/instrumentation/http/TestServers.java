package dev.tracewire.instrumentation.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.tracewire.testing.HopSuite;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.ExecutorThreadPool;

/** Real servers on loopback for the tests: JDK HttpServer and embedded Jetty. */
final class TestServers {

  /** A started JDK HttpServer on a free loopback port, its threads checked for leaked scopes. */
  static final class Jdk implements AutoCloseable {
    final HttpServer server;
    final ExecutorService threads = Executors.newFixedThreadPool(4);

    Jdk(HttpTracing tracing, String path, HttpHandler handler) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(path, handler).getFilters().add(tracing.httpServerFilter());
      server.setExecutor(HopSuite.leakChecked(threads));
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  /** A started Jetty with one servlet behind the tracing filter, its threads leak-checked. */
  static final class Jetty implements AutoCloseable {
    final Server server;
    final ServerConnector connector;

    Jetty(HttpTracing tracing, String pathSpec, HttpServlet servlet) throws Exception {
      ThreadPoolExecutor threads =
          new ThreadPoolExecutor(16, 16, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>()) {
            @Override
            public void execute(Runnable command) {
              super.execute(HopSuite.leakChecked(command));
            }
          };
      server = new Server(new ExecutorThreadPool(threads));
      connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      context.addFilter(
          new FilterHolder(tracing.servletFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder(servlet), pathSpec);
      server.setHandler(context);
      server.start();
    }

    int port() {
      return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.stop();
    }
  }

  /** Answers 200 "ok" after telling the hop suite the callee handled the request. */
  static void handleHop(HttpExchange exchange) throws IOException {
    HopSuite.calleeHandled();
    respond(exchange, 200, "ok");
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private TestServers() {}
}

package dev.tracewire.benchmarks;

import dev.tracewire.instrumentation.grpc.GrpcTracing;
import dev.tracewire.propagation.TracewirePropagator;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One gRPC unary call over a real netty server on loopback, per layer in the same run: {@code none}
 * (no tracing), {@code opentelemetry} (OpenTelemetry's {@code GrpcTelemetry} with W3C trace context
 * + baggage), {@code opentelemetry_universal} (the same with Tracewire's universal propagator) and
 * {@code tracewire} ({@code GrpcTracing}: universal propagator and hop diagnostics). Spans are
 * sampled and recorded, then dropped: no exporter.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar GrpcHopBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GrpcHopBenchmark {
  static final SimpleRequest REQUEST =
      SimpleRequest.newBuilder().setRequestMessage("order-1").build();

  @Param({"none", "opentelemetry", "opentelemetry_universal", "tracewire"})
  public String layer;

  OpenTelemetrySdk sdk;
  Server server;
  ManagedChannel channel;
  SimpleServiceGrpc.SimpleServiceBlockingStub stub;

  @Setup(Level.Trial)
  public void start() throws Exception {
    TextMapPropagator propagator =
        layer.equals("opentelemetry")
            ? TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())
            : TracewirePropagator.create();
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build())
            .setPropagators(ContextPropagators.create(propagator))
            .build();
    ServerServiceDefinition service = new EchoService().bindService();
    ClientInterceptor clientInterceptor = null;
    switch (layer) {
      case "none":
        break;
      case "opentelemetry":
      case "opentelemetry_universal":
        GrpcTelemetry telemetry = GrpcTelemetry.create(sdk);
        service = ServerInterceptors.intercept(service, telemetry.createServerInterceptor());
        clientInterceptor = telemetry.createClientInterceptor();
        break;
      case "tracewire":
        GrpcTracing tracing = GrpcTracing.create(sdk);
        service = ServerInterceptors.intercept(service, tracing.newServerInterceptor());
        clientInterceptor = tracing.newClientInterceptor();
        break;
      default:
        throw new IllegalArgumentException("layer: " + layer);
    }
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(service)
            .build()
            .start();
    NettyChannelBuilder channelBuilder =
        NettyChannelBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()))
            .usePlaintext();
    if (clientInterceptor != null) channelBuilder.intercept(clientInterceptor);
    channel = channelBuilder.build();
    stub = SimpleServiceGrpc.newBlockingStub(channel);
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    sdk.close();
  }

  @Benchmark
  public SimpleResponse unary() {
    return stub.unaryRpc(REQUEST);
  }

  static final class EchoService extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
      responses.onNext(
          SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
      responses.onCompleted();
    }
  }
}

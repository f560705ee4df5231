package dev.tracewire.instrumentation.grpc;

import dev.tracewire.testing.HopSuite;
import io.grpc.BindableService;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A real grpc-java netty server on loopback (port 0) and a channel to it. */
final class GrpcPeers implements AutoCloseable {
  final Server server;
  final ManagedChannel channel;
  private final ExecutorService serverExecutor = Executors.newCachedThreadPool();
  private final ExecutorService clientExecutor = Executors.newCachedThreadPool();

  /**
   * Serves {@code service} behind {@code callee}'s server interceptor; the channel uses {@code
   * caller}'s client interceptor, or none when {@code caller} is null. Both sides' threads are
   * checked for leaked scopes.
   */
  static GrpcPeers start(GrpcTracing caller, GrpcTracing callee, BindableService service) {
    return new GrpcPeers(caller == null ? null : caller.newClientInterceptor(), callee, service);
  }

  private GrpcPeers(
      ClientInterceptor clientInterceptor, GrpcTracing callee, BindableService service) {
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .executor(HopSuite.leakChecked(serverExecutor))
              .addService(ServerInterceptors.intercept(service, callee.newServerInterceptor()))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NettyChannelBuilder channelBuilder =
        NettyChannelBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()))
            .usePlaintext()
            .executor(HopSuite.leakChecked(clientExecutor));
    if (clientInterceptor != null) channelBuilder.intercept(clientInterceptor);
    channel = channelBuilder.build();
  }

  SimpleServiceGrpc.SimpleServiceBlockingStub blockingStub() {
    return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  SimpleServiceGrpc.SimpleServiceStub asyncStub() {
    return SimpleServiceGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      serverExecutor.shutdownNow();
      clientExecutor.shutdownNow();
    }
  }
}

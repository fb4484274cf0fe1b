package io.cairn.bench.load;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code --conns} plaintext gRPC channels of a run, channel {@code i} to {@code endpoints[i % n]} (etcd's
 * clientv3 balances each connection over all endpoints instead; with one endpoint the two agree). Closing shuts them
 * all down.
 */
public final class Channels implements AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final List<ManagedChannel> channels;

    private Channels(List<ManagedChannel> channels) {
        this.channels = List.copyOf(channels);
    }

    /** Opens the channels and starts connecting them (gRPC would otherwise connect on the first request). */
    public static Channels open(ClientOptions options) {
        List<ManagedChannel> out = new ArrayList<>();
        for (int i = 0; i < options.conns(); i++) {
            String endpoint = options.endpoints().get(i % options.endpoints().size());
            int colon = endpoint.lastIndexOf(':');
            String host = endpoint.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = Integer.parseInt(endpoint.substring(colon + 1));
            ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(Integer.MAX_VALUE).build();
            channel.getState(true);
            out.add(channel);
        }
        return new Channels(out);
    }

    public List<ManagedChannel> list() {
        return channels;
    }

    /**
     * Waits up to {@code timeout} for every channel to be READY; returns how many are. Requests on a channel that is
     * not ready wait for it or fail UNAVAILABLE, and are counted like any other failure.
     */
    public int awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int ready = 0;
        for (ManagedChannel c : channels) {
            while (true) {
                ConnectivityState state = c.getState(true);
                long left = deadline - System.nanoTime();
                if (state == ConnectivityState.READY) {
                    ready++;
                    break;
                }
                if (left <= 0) {
                    break;
                }
                CountDownLatch changed = new CountDownLatch(1);
                c.notifyWhenStateChanged(state, changed::countDown);
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        }
        return ready;
    }

    @Override
    public void close() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (ManagedChannel c : channels) {
            c.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}

package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.server.hostile.Heap;
import io.cairn.server.hostile.Integrity;
import io.cairn.server.hostile.RawHttp2;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and silent clients against one member with etcd's default flags (keepalive 2 h + 20 s): hundreds of
 * connections that send a request head a byte at a time (HTTP/1.1), an HTTP/2 header block that never ends, or
 * nothing at all after connecting, plus requests whose body stalls. Meanwhile a normal client is served; the
 * member closes the slow connections within {@link ClientServer#FIRST_REQUEST_TIMEOUT} (plus the request timeout for
 * stalled bodies), and the heap they held is returned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileSlowClientTest {
    private static final int SLOW_CONNECTIONS = 200;
    /** The member closes slow connections within its deadline; this adds scheduling slack. */
    private static final Duration CLOSED_WITHIN = ClientServer.FIRST_REQUEST_TIMEOUT.plusSeconds(10);

    @TempDir
    static Path dir;
    private TestMember server;
    private Integrity integrity;
    private ScheduledExecutorService trickle;
    private final ExecutorService readers = Executors.newCachedThreadPool();

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory");
        integrity = Integrity.seed(server.endpoint(), 20);
        trickle = Executors.newScheduledThreadPool(2);
    }

    @AfterAll
    void stop() throws Exception {
        trickle.shutdownNow();
        readers.shutdownNow();
        integrity.close();
        server.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.server.port()), 10_000);
        return s;
    }

    /** Completes when the server closes {@code s} (EOF or reset), read on its own thread. */
    private CompletableFuture<Long> closedByServer(Socket s, long startNanos) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = s.getInputStream()) {
                byte[] buf = new byte[4096];
                while (in.read(buf) >= 0) {
                    continue; // an error answer may come first; the close is what counts
                }
            } catch (IOException reset) {
                // reset by the server counts as closed
            }
            return System.nanoTime() - startNanos;
        }, readers);
    }

    /** Completes with the first bytes the server sends on {@code s} ("" when it closes without a word). */
    private CompletableFuture<String> firstAnswer(Socket s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                byte[] buf = new byte[4096];
                int n = s.getInputStream().read(buf);
                return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            } catch (IOException reset) {
                return "";
            }
        }, readers);
    }

    /** Sends one byte of {@code head} every 500 ms, forever (until the socket fails). */
    private void dribble(Socket s, byte[] head) {
        AtomicInteger at = new AtomicInteger();
        trickle.scheduleAtFixedRate(() -> {
            try {
                s.getOutputStream().write(head[at.getAndIncrement() % head.length]);
            } catch (IOException closed) {
                throw new IllegalStateException("closed"); // ends this task
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * Slow and silent connections are closed within the first-request deadline; meanwhile requests whose body
     * stalls after a complete head are answered when their request deadline (10 s: Armeria's request timeout for
     * HTTP/1.1, {@code RequestDeadline} for gRPC) ends them, and a normal client is served throughout.
     */
    @Test
    void slowAndSilentConnectionsAreClosedAndTheMemberKeepsServing() throws Exception {
        long before = Heap.usedAfterGc();
        long start = System.nanoTime();
        Socket h1 = connect();
        h1.getOutputStream().write(("POST /v3/kv/range HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100\r\n\r\n{\"key\":").getBytes(StandardCharsets.US_ASCII));
        CompletableFuture<String> h1Answer = firstAnswer(h1);
        RawHttp2 h2 = RawHttp2.connect(server.server.port(), Duration.ofSeconds(30));
        h2.headers(1, h2.grpcHeaders("/etcdserverpb.KV/Range"), false);
        h2.data(1, RawHttp2.grpcLyingPrefix(100, new byte[10]), false);
        CompletableFuture<RawHttp2.Response> h2Answer = CompletableFuture.supplyAsync(() -> {
            try {
                return h2.await(1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, readers);
        List<CompletableFuture<Long>> closes = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        byte[] head = "POST /v3/kv/range HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < SLOW_CONNECTIONS; i++) {
            Socket s = connect();
            sockets.add(s);
            if (i % 4 == 0) {
                dribble(s, head); // HTTP/1.1 slowloris
            } else if (i % 4 == 1) {
                s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0"
                    .getBytes(StandardCharsets.ISO_8859_1)); // HTTP/2 preface + SETTINGS, then a header block
                s.getOutputStream().write(new byte[] {0, 0, 4, RawHttp2.HEADERS, 0, 0, 0, 0, 1, 0, 5, 'a', 'b'});
            } else if (i % 4 == 2) {
                s.getOutputStream().write(new byte[] {'P', 'O'}); // two bytes, then silence
            }
            closes.add(closedByServer(s, start)); // i % 4 == 3: connects and says nothing
        }
        integrity.check("with " + SLOW_CONNECTIONS + " slow connections open");
        long held = Heap.usedAfterGc();
        CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
            .get(CLOSED_WITHIN.toSeconds(), TimeUnit.SECONDS);
        long slowest = closes.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
        System.out.printf("%d slow connections: %s heap while open, all closed by the server after %d ms%n",
            SLOW_CONNECTIONS, Heap.mib(held - before), TimeUnit.NANOSECONDS.toMillis(slowest));
        String answer = h1Answer.get(30, TimeUnit.SECONDS);
        System.out.printf("stalled HTTP/1.1 body: %s%n", answer.lines().findFirst().orElse("(closed)"));
        assertThat(answer).matches("(?s)(HTTP/1.1 [45]\\d\\d .*)?");
        RawHttp2.Response r = h2Answer.get(30, TimeUnit.SECONDS);
        assertThat(r.grpcStatus() > 0 || r.resetCode() >= 0).as("stalled HTTP/2 body: %s", r).isTrue();
        h2.close();
        h1.close();
        for (Socket s : sockets) {
            s.close();
        }
        integrity.check("after the slow connections");
        await().atMost(Duration.ofSeconds(30)).until(() -> Heap.usedAfterGc() - before < (32L << 20));
    }

    /**
     * grpc-go's keepalive, as etcd sets it: the member PINGs a connection after {@code --grpc-keepalive-interval}
     * without traffic and closes it when no answer comes within {@code --grpc-keepalive-timeout} (2 h + 20 s by
     * default; 10 s + 1 s here: grpc-java PINGs no sooner than 10 s, grpc-go 1 s). A connection that made a request
     * and then stopped reading is closed; one whose client answers the PINGs (here while it watches) stays open.
     */
    @Test
    void idleConnectionsAreClosedAfterTheKeepaliveFlags() throws Exception {
        try (TestMember quick = TestMember.start(dir.resolve("quick"), "memory", "--grpc-keepalive-interval", "10s",
            "--grpc-keepalive-timeout", "1s");
             RawHttp2 idle = RawHttp2.connect(quick.server.port(), Duration.ofSeconds(20));
             RawHttp2 watching = RawHttp2.connect(quick.server.port(), Duration.ofSeconds(20))) {
            idle.headers(1, idle.grpcHeaders("/etcdserverpb.Maintenance/Status"), false);
            idle.data(1, RawHttp2.grpcMessage(new byte[0]), true);
            assertThat(idle.await(1).grpcStatus()).isZero();
            watching.headers(1, watching.grpcHeaders("/etcdserverpb.Watch/Watch"), false);
            watching.data(1, RawHttp2.grpcMessage(io.cairn.api.etcdserverpb.WatchRequest.newBuilder()
                .setCreateRequest(io.cairn.api.etcdserverpb.WatchCreateRequest.newBuilder()
                    .setKey(com.google.protobuf.ByteString.copyFromUtf8("idle"))).build().toByteArray()), false);
            CompletableFuture<RawHttp2.Response> answering = CompletableFuture.supplyAsync(() -> {
                try {
                    return watching.await(1); // reads frames, answering the member's PINGs, until the stream ends
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, readers);
            long start = System.nanoTime();
            assertThat(idle.awaitClosedWithoutAnsweringPings()).as("connection not answering PINGs closed").isTrue();
            long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(idleMillis).isBetween(10_000L, 16_000L);
            assertThat(answering).as("the connection answering PINGs is open").isNotDone();
            assertThat(quick.member.watchable().syncedCount()).as("its watch still runs").isEqualTo(1);
        }
    }
}

package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify reaches a unix datagram socket like systemd's, and is silent without NOTIFY_SOCKET. */
class SdNotifyTest {
    @TempDir
    Path dir;

    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

    /** Runs {@code body} while a unix datagram socket like systemd's listens at {@code socket}. */
    private void withListener(Path socket, ThrowingRunnable body) throws Exception {
        assumeTrue(Epoll.isAvailable(), "Linux epoll");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel listener = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                        received.add(p.content().toString(StandardCharsets.UTF_8));
                    }
                }).bind(new DomainSocketAddress(socket.toString())).sync().channel();
            body.run();
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void readySentToTheNotifySocket() throws Exception {
        Path socket = dir.resolve("notify.sock");
        withListener(socket, () -> {
            assertThat(SdNotify.send(Map.of("NOTIFY_SOCKET", socket.toString()), SdNotify.READY)).isTrue();
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("READY=1");
        });
    }

    @Test
    void theServerProcessNotifiesReadyOnceServingAndStoppingOnSigterm() throws Exception {
        Path socket = dir.resolve("notify.sock");
        withListener(socket, () -> {
            ServerProcess server = ServerProcess.start(dir.resolve("data"), 0, dir.resolve("server.log"),
                Map.of("NOTIFY_SOCKET", socket.toString()), "--backend-engine", "memory");
            try {
                assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("READY=1");
                assertThat(server.logText()).contains("\"msg\":\"notified systemd\"");
            } finally {
                server.stop();
            }
            assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("STOPPING=1");
        });
    }

    @Test
    void nothingWithoutTheVariable() {
        assertThat(SdNotify.send(Map.of(), SdNotify.READY)).isFalse();
        assertThat(SdNotify.send(Map.of("NOTIFY_SOCKET", ""), SdNotify.READY)).isFalse();
    }
}

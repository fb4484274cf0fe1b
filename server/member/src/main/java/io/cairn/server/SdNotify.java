package io.cairn.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * systemd's {@code sd_notify} for {@code Type=notify} units, as etcd sends it once it serves clients: one datagram
 * {@code READY=1} to the unix socket named by {@code $NOTIFY_SOCKET} (a leading {@code @} names an abstract
 * socket). Without the variable nothing is sent. Uses Netty's native epoll transport (the JDK has no unix
 * datagram sockets).
 */
final class SdNotify {
    static final String READY = "READY=1";
    static final String STOPPING = "STOPPING=1";
    private static final long TIMEOUT_SECONDS = 5;

    private SdNotify() {
    }

    /**
     * Sends {@code state} to {@code $NOTIFY_SOCKET} from {@code env}.
     *
     * @return whether a notification was sent (false without the variable)
     * @throws IllegalStateException when the variable is set but sending failed
     */
    static boolean send(Map<String, String> env, String state) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return false;
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("sd_notify needs Linux epoll: " + Epoll.unavailabilityCause());
        }
        String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel ch = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(new DomainSocketAddress(path)).sync().channel();
            try {
                ch.writeAndFlush(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8)).sync();
            } finally {
                ch.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while notifying systemd", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("failed to notify systemd at " + socket + ": " + e.getMessage(), e);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }
}

package io.cairn.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.ConfigLoader;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.tls.ClientTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The {@code cairn} command: reads the configuration ({@link ConfigLoader}), opens the {@link Member}, serves
 * clients ({@link ClientServer}), logs etcd's startup lines, and on SIGTERM/SIGINT stops serving, then closes the
 * member. Exit codes: 0 after a signal or for --help/--version, 1 for a bad configuration or a failed start.
 */
public final class CairnMain {
    private static final Logger LOG = LoggerFactory.getLogger(CairnMain.class);
    /** Exit status after a fatal error (Go's status after a panic, as etcd exits). */
    static final int FATAL_EXIT_CODE = 2;

    private CairnMain() {
    }

    public static void main(String[] args) {
        // java.util.logging's console handler out, SLF4J's bridge in: the WAL's System.Logger warnings (slow
        // fdatasync, ...) come out as JSON lines too. java.util.logging's own level (INFO) still filters first.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        ConfigLoader.Outcome outcome;
        try {
            outcome = ConfigLoader.load(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("cairn: " + e.getMessage());
            System.err.println("Run 'cairn --help' for usage.");
            System.exit(1);
            return;
        }
        if (outcome instanceof ConfigLoader.Help h) {
            System.out.print(h.text());
            return;
        }
        if (outcome instanceof ConfigLoader.Version v) {
            System.out.print(v.text());
            return;
        }
        ConfigLoader.Run run = (ConfigLoader.Run) outcome;
        setLogLevel(run.config().logLevel());
        run.warnings().forEach(LOG::warn);
        try {
            serve(run.config());
        } catch (ConfigException e) {
            // a file the configuration names is unusable (a TLS certificate, say): the message says which
            LOG.atError().addKeyValue("error", e.getMessage()).log("failed to start member");
            System.err.println("cairn: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("failed to start member");
            System.exit(1);
        }
    }

    private static void serve(ServerConfig config) {
        LOG.atInfo().addKeyValue("name", config.name()).addKeyValue("data-dir", config.dataDir().toString())
            .addKeyValue("backend-engine", config.backendEngine()).addKeyValue("etcd-version", Versions.ETCD_SERVER)
            .addKeyValue("cairn-version", Versions.CAIRN).log("starting a member");
        Optional<ClientTls> tls = ClientTls.forConfig(config); // bad TLS files stop the member before it opens
        Member member = openAndPublish(config);
        ClientServer server;
        try {
            server = ClientServer.start(member, tls);
        } catch (RuntimeException e) {
            member.close();
            throw e;
        }
        LOG.info("ready to serve client requests");
        notifySystemd(SdNotify.READY);
        for (InetSocketAddress a : server.addresses()) {
            String address = a.getAddress().getHostAddress() + ":" + a.getPort();
            LOG.atInfo().addKeyValue("address", address).log("serving client requests on " + address);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("received signal; shutting down");
            notifySystemd(SdNotify.STOPPING);
            try {
                server.close();
            } finally {
                member.close();
                LOG.info("stopped member");
                stopped.countDown();
            }
        }, "cairn-shutdown"));
        awaitUninterruptibly(stopped);
    }

    private static void notifySystemd(String state) {
        try {
            if (SdNotify.send(System.getenv(), state)) {
                LOG.atInfo().addKeyValue("state", state).log("notified systemd");
            }
        } catch (IllegalStateException e) {
            LOG.atWarn().addKeyValue("error", e.getMessage()).log("failed to notify systemd");
        }
    }

    /** Opens the member, waits for a leader and publishes its attributes through raft, as etcd does. */
    private static Member openAndPublish(ServerConfig config) {
        Member member = Member.open(config, System::nanoTime, System::currentTimeMillis);
        // etcd panics on a WAL or backend failure; exit (from another thread: the shutdown hook joins the loops).
        member.onFailure(e -> new Thread(() -> System.exit(FATAL_EXIT_CODE), "cairn-fatal-exit").start());
        // etcd stops a member that applied its own removal; it must not come back with the same data dir.
        member.onRemoved(() -> new Thread(() -> System.exit(0), "cairn-removed-exit").start());
        try {
            Duration timeout = Member.requestTimeout(config);
            untilDone(member, "waiting for a quorum of the cluster", () -> member.awaitReady(timeout));
            member.initialCorruptionCheck();
            untilDone(member, "failed to publish local member to cluster", () -> member.publish(timeout));
        } catch (Exception e) {
            member.close();
            throw new IllegalStateException("failed to publish local member to cluster: " + e.getMessage(), e);
        }
        String attributes = "{Name:" + config.name() + " ClientURLs:[" + join(config, " ") + "]}";
        String cluster = Long.toHexString(member.clusterId());
        LOG.atInfo().addKeyValue("local-member-id", Long.toHexString(member.memberId()))
            .addKeyValue("local-member-attributes", attributes).addKeyValue("cluster-id", cluster)
            .log("published " + attributes + " to cluster " + cluster);
        return member;
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Repeats {@code step} until it succeeds, as etcd keeps trying to publish: a member of a cluster whose other
     * members start later (or are down) waits for a quorum instead of giving up. Stops when the member failed.
     */
    private static void untilDone(Member member, String what, Step step) throws Exception {
        while (true) {
            try {
                step.run();
                return;
            } catch (Exception e) {
                if (member.failed()) {
                    throw e;
                }
                LOG.atWarn().addKeyValue("error", e.getMessage()).log(what + "; retrying");
            }
        }
    }

    private static String join(ServerConfig config, String separator) {
        StringBuilder b = new StringBuilder();
        for (URI u : config.advertiseClientUrls()) {
            b.append(b.length() == 0 ? "" : separator).append(u);
        }
        return b.toString();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException ignored) {
                // keep serving until the shutdown hook has closed everything
            }
        }
    }

    private static void setLogLevel(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(switch (level) {
                case "debug" -> Level.DEBUG;
                case "info" -> Level.INFO;
                case "warn" -> Level.WARN;
                default -> Level.ERROR;
            });
        }
    }
}

package io.cairn.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.ConfigLoader;
import io.cairn.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("failed to start member");
            System.exit(1);
        }
    }

    private static void serve(ServerConfig config) {
        LOG.atInfo().addKeyValue("name", config.name()).addKeyValue("data-dir", config.dataDir().toString())
            .addKeyValue("backend-engine", config.backendEngine()).addKeyValue("etcd-version", Versions.ETCD_SERVER)
            .addKeyValue("cairn-version", Versions.CAIRN).log("starting a member");
        Member member = Member.open(config, System::nanoTime, System::currentTimeMillis);
        // etcd panics on a WAL or backend failure; exit (from another thread: the shutdown hook joins the loops).
        member.onFailure(e -> new Thread(() -> System.exit(FATAL_EXIT_CODE), "cairn-fatal-exit").start());
        try {
            member.awaitReady(Member.requestTimeout(config));
        } catch (RuntimeException e) {
            member.close();
            throw e;
        }
        ClientServer server;
        try {
            server = ClientServer.start(member);
        } catch (RuntimeException e) {
            member.close();
            throw e;
        }
        LOG.atInfo().addKeyValue("local-member-id", Long.toHexString(member.memberId()))
            .addKeyValue("cluster-id", Long.toHexString(member.clusterId()))
            .addKeyValue("advertise-client-urls", join(config)).log("published local member to cluster");
        LOG.info("ready to serve client requests");
        for (InetSocketAddress a : server.addresses()) {
            String address = a.getAddress().getHostAddress() + ":" + a.getPort();
            LOG.atInfo().addKeyValue("address", address).log("serving client requests on " + address);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("received signal; shutting down");
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

    private static String join(ServerConfig config) {
        StringBuilder b = new StringBuilder();
        for (URI u : config.advertiseClientUrls()) {
            b.append(b.length() == 0 ? "" : ",").append(u);
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

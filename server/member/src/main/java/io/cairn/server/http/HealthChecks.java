package io.cairn.server.http;

import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.quota.AlarmMember;
import io.cairn.mvcc.quota.AlarmType;
import io.cairn.mvcc.quota.RequestKind;
import io.cairn.server.Member;
import io.cairn.server.RaftStatus;
import io.cairn.server.rpc.ErrorTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The checks behind etcd 3.5's health endpoints (api/etcdhttp/health.go), without HTTP. {@code /health}: the
 * active alarms (minus those excluded by name), a known leader unless {@code serializable}, then a range read.
 * {@code /livez}: a serializable read. {@code /readyz}: no CORRUPT alarm, a serializable read and a linearizable
 * read. The read is etcd's probe, a keys-only range of limit 1 on the empty key, refused as a client's range would
 * be (a CORRUPT alarm refuses reads). Until raft, linearizable and serializable reads are the same local read.
 * Thread-safe; each call reads the member afresh.
 */
public final class HealthChecks {
    /** The {@code /livez} and {@code /readyz} check kinds, as etcd labels them in its metrics. */
    public static final String LIVEZ = "livez";
    public static final String READYZ = "readyz";

    private static final RangeRequest PROBE_SERIALIZABLE = probe(true);
    private static final RangeRequest PROBE_LINEARIZABLE = probe(false);

    private final Member member;

    public HealthChecks(Member member) {
        this.member = member;
    }

    /** /health's answer: {@code reason} is empty when healthy. */
    public record Health(boolean healthy, String reason) {
        static final Health OK = new Health(true, "");
    }

    /** etcd's {@code /health}. */
    public Health health(Set<String> excludedAlarms, boolean serializable) {
        for (AlarmMember a : member.alarms()) {
            if (!excludedAlarms.contains(a.type().name())) {
                return new Health(false, "ALARM " + a.type().name());
            }
        }
        if (!serializable && member.raftStatus().leader() == RaftStatus.NO_LEADER) {
            return new Health(false, "RAFT NO LEADER");
        }
        return read(serializable).map(err -> new Health(false, "RANGE ERROR:" + err)).orElse(Health.OK);
    }

    /**
     * The named checks of {@code /livez} or {@code /readyz}, in the order they run and are reported; each answers
     * its failure, or empty when it passes.
     */
    public Map<String, Supplier<Optional<String>>> checks(String kind) {
        Map<String, Supplier<Optional<String>>> checks = new LinkedHashMap<>();
        if (kind.equals(READYZ)) {
            checks.put("data_corruption", this::corruption);
        }
        checks.put("serializable_read", () -> read(true));
        if (kind.equals(READYZ)) {
            checks.put("linearizable_read", () -> read(false));
        }
        return checks;
    }

    private Optional<String> corruption() {
        boolean corrupt = member.alarms().stream().anyMatch(a -> a.type() == AlarmType.CORRUPT);
        return corrupt ? Optional.of("alarm activated: CORRUPT") : Optional.empty();
    }

    /** The probe read; the error as a client would see it, or empty. */
    private Optional<String> read(boolean serializable) {
        try {
            if (!member.guard().beforeApply(RequestKind.RANGE, 0).proceeds()) {
                return Optional.of(ErrorTable.EtcdError.CORRUPT.message());
            }
            if (!serializable) {
                member.linearizableRead().join();
            }
            member.applier().ops().range(serializable ? PROBE_SERIALIZABLE : PROBE_LINEARIZABLE);
            return Optional.empty();
        } catch (CompletionException e) {
            return Optional.of(String.valueOf(ErrorTable.toStatus(e.getCause()).getDescription()));
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(ErrorTable.toStatus(e).getDescription()));
        }
    }

    private static RangeRequest probe(boolean serializable) {
        return new RangeRequest(new byte[0], null, 1, 0, null, null, serializable, true, false, 0, 0, 0, 0);
    }
}

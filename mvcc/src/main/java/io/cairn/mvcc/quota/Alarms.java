package io.cairn.mvcc.quota;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The active alarms of the cluster (etcd's {@code v3alarm.AlarmStore}): at most one per (member, type),
 * persisted in the {@code alarm} bucket (see {@link AlarmCodec}) and restored on open and by {@link #reload}.
 * Activations and deactivations come from applied raft entries, so every member holds the same alarms.
 *
 * <p>Thread-safety: reads see an immutable list published through a volatile field and never wait. Changes
 * serialise on {@code writeLock}, which is held across the backend write; nothing else is locked under it, so it
 * may be taken with or without other locks held, as long as the calling thread has no backend write open.
 */
public final class Alarms {
    private static final byte[] EMPTY = new byte[0];

    private final Backend backend;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile List<AlarmMember> active;

    private Alarms(Backend backend, List<AlarmMember> active) {
        this.backend = backend;
        this.active = active;
    }

    /** Opens the alarm store on {@code backend}, restoring every persisted alarm. */
    public static Alarms open(Backend backend) {
        return new Alarms(backend, load(backend));
    }

    private static List<AlarmMember> load(Backend backend) {
        List<AlarmMember> restored = new ArrayList<>();
        try (ReadTxn txn = backend.read()) {
            txn.scan(Bucket.ALARM, RangeQuery.all(), (k, v) -> {
                AlarmMember m = AlarmCodec.decode(k);
                if (!restored.contains(m)) {
                    restored.add(m);
                }
                return true;
            });
        }
        restored.sort(AlarmMember.ORDER);
        return List.copyOf(restored);
    }

    /**
     * Re-reads the {@code alarm} bucket after the backend's contents were replaced wholesale (etcd's alarm store
     * reload when a raft snapshot is applied): the alarms become exactly those {@link #open} would restore. Called
     * by the apply thread after the engine under the {@code Backend} was switched, in any order with the other
     * reloads; thread-safe, readers see the old or the new list.
     */
    public void reload() {
        writeLock.lock();
        try {
            active = load(backend);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Raises {@code type} for {@code memberId} (etcd's Activate as the applier calls it).
     *
     * @return the alarm, also when it was already active; empty for {@link AlarmType#NONE}, which etcd ignores
     */
    public Optional<AlarmMember> activate(long memberId, AlarmType type) {
        if (type == AlarmType.NONE) {
            return Optional.empty();
        }
        AlarmMember alarm = new AlarmMember(memberId, type);
        writeLock.lock();
        try {
            List<AlarmMember> current = active;
            if (current.contains(alarm)) {
                return Optional.of(alarm);
            }
            try (WriteTxn txn = backend.write()) {
                txn.put(Bucket.ALARM, AlarmCodec.encode(alarm), EMPTY);
            }
            List<AlarmMember> next = new ArrayList<>(current);
            next.add(alarm);
            next.sort(AlarmMember.ORDER);
            active = List.copyOf(next);
            return Optional.of(alarm);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Disarms {@code type} for {@code memberId} (etcd's Deactivate).
     *
     * @return the alarm removed, or empty when it was not active
     */
    public Optional<AlarmMember> deactivate(long memberId, AlarmType type) {
        AlarmMember alarm = new AlarmMember(memberId, type);
        writeLock.lock();
        try {
            List<AlarmMember> current = active;
            if (!current.contains(alarm)) {
                return Optional.empty();
            }
            try (WriteTxn txn = backend.write()) {
                txn.delete(Bucket.ALARM, AlarmCodec.encode(alarm));
            }
            List<AlarmMember> next = new ArrayList<>(current);
            next.remove(alarm);
            active = List.copyOf(next);
            return Optional.of(alarm);
        } finally {
            writeLock.unlock();
        }
    }

    /** Active alarms of {@code type}, or all for {@link AlarmType#NONE} (etcd's Get), in {@link AlarmMember#ORDER}. */
    public List<AlarmMember> list(AlarmType type) {
        List<AlarmMember> current = active;
        if (type == AlarmType.NONE) {
            return current;
        }
        return current.stream().filter(m -> m.type() == type).toList();
    }

    /**
     * Whether any member has {@code type} raised; for {@link AlarmType#NONE}, whether any alarm is active. Asked
     * for every applied write, so it allocates nothing.
     */
    public boolean isActive(AlarmType type) {
        List<AlarmMember> current = active;
        if (type == AlarmType.NONE) {
            return !current.isEmpty();
        }
        for (int i = 0; i < current.size(); i++) {
            if (current.get(i).type() == type) {
                return true;
            }
        }
        return false;
    }
}

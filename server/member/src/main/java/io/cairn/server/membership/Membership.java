package io.cairn.server.membership;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster's members as applied from the raft log (etcd's {@code membership.RaftCluster}), persisted in the
 * backend's {@code members} bucket (key: the hex ID, value: the member's {@link ClusterMember#toJson JSON}) and
 * {@code members_removed} bucket (key: the hex ID, value {@code removed}), as etcd 3.5 keeps them. Every change
 * comes from an applied entry, so all members hold the same membership; it is written to the backend with the
 * entry's consistent index and survives restarts.
 *
 * <p>A removed ID never comes back: the peer transport refuses its messages and a re-added member gets a new ID.
 *
 * <p>Thread-safety: readers see an immutable view published through a volatile field; changes come from the
 * apply thread only. Listeners run on the apply thread after each change.
 */
public final class Membership {
    private static final byte[] REMOVED = "removed".getBytes(StandardCharsets.UTF_8);

    /** Told about applied changes (the peer transport follows them). */
    public interface Listener {
        void changed(Optional<ClusterMember> before, Optional<ClusterMember> after);
    }

    private record View(Map<Long, ClusterMember> members, Set<Long> removed) {
    }

    private final Backend backend;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile View view;

    private Membership(Backend backend, View view) {
        this.backend = backend;
        this.view = view;
    }

    /** Loads the membership persisted in {@code backend} (empty for a new member). */
    public static Membership load(Backend backend) {
        return new Membership(backend, read(backend));
    }

    /**
     * Reads the membership again after the backend's contents were replaced (a snapshot from the leader) and tells
     * the listeners what changed. Apply thread only.
     */
    public void reload() {
        View old = view;
        View fresh = read(backend);
        view = fresh;
        for (ClusterMember m : old.members().values()) {
            if (!m.equals(fresh.members().get(m.id()))) {
                Optional<ClusterMember> after = Optional.ofNullable(fresh.members().get(m.id()));
                listeners.forEach(l -> l.changed(Optional.of(m), after));
            }
        }
        for (ClusterMember m : fresh.members().values()) {
            if (!old.members().containsKey(m.id())) {
                listeners.forEach(l -> l.changed(Optional.empty(), Optional.of(m)));
            }
        }
    }

    private static View read(Backend backend) {
        Map<Long, ClusterMember> members = new TreeMap<>(Long::compareUnsigned);
        Set<Long> removed = new HashSet<>();
        try (ReadTxn txn = backend.read()) {
            txn.scan(Bucket.MEMBERS, RangeQuery.all(), (k, v) -> {
                ClusterMember m = ClusterMember.fromJson(v);
                members.put(m.id(), m);
                return true;
            });
            txn.scan(Bucket.MEMBERS_REMOVED, RangeQuery.all(), (k, v) -> {
                removed.add(Long.parseUnsignedLong(new String(k, StandardCharsets.UTF_8), 16));
                return true;
            });
        }
        return new View(Collections.unmodifiableMap(members), Set.copyOf(removed));
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Members in ID order (unsigned). */
    public List<ClusterMember> members() {
        return List.copyOf(view.members().values());
    }

    public Optional<ClusterMember> member(long id) {
        return Optional.ofNullable(view.members().get(id));
    }

    /**
     * Whether a peer with member ID {@code id} may connect: it is a member, or no membership is applied yet (a new
     * cluster's bootstrap entries, or a joining member's first snapshot, are still to come).
     */
    public boolean admits(long id) {
        View v = view;
        return v.members().isEmpty() || v.members().containsKey(id);
    }

    public boolean isRemoved(long id) {
        return view.removed().contains(id);
    }

    public boolean isEmpty() {
        return view.members().isEmpty();
    }

    /** The member whose peer URLs include {@code url}, if any. */
    public Optional<ClusterMember> byPeerUrl(String url) {
        return view.members().values().stream().filter(m -> m.peerUrls().contains(url)).findFirst();
    }

    /** The IDs of voting members. */
    public List<Long> voters() {
        return view.members().values().stream().filter(m -> !m.learner()).map(ClusterMember::id).toList();
    }

    /** Adds {@code m}, or replaces an existing member with the same ID (a promotion). Apply thread only. */
    public void add(ClusterMember m) {
        if (isRemoved(m.id())) {
            return;
        }
        ClusterMember old = view.members().get(m.id());
        ClusterMember merged = old == null ? m : new ClusterMember(m.id(), old.name(), m.peerUrls(),
            old.clientUrls(), m.learner());
        put(Optional.ofNullable(old), merged);
    }

    /** Removes member {@code id} for good. Apply thread only. */
    public void remove(long id) {
        ClusterMember old = view.members().get(id);
        String key = Long.toHexString(id);
        try (WriteTxn txn = backend.write()) {
            txn.delete(Bucket.MEMBERS, key.getBytes(StandardCharsets.UTF_8));
            txn.put(Bucket.MEMBERS_REMOVED, key.getBytes(StandardCharsets.UTF_8), REMOVED);
        }
        Map<Long, ClusterMember> members = copy();
        members.remove(id);
        Set<Long> removed = new HashSet<>(view.removed());
        removed.add(id);
        view = new View(Collections.unmodifiableMap(members), Set.copyOf(removed));
        listeners.forEach(l -> l.changed(Optional.ofNullable(old), Optional.empty()));
    }

    /** Sets a member's peer URLs (etcd's MemberUpdate). Apply thread only. */
    public void updatePeerUrls(long id, List<String> urls) {
        ClusterMember old = view.members().get(id);
        if (old != null) {
            put(Optional.of(old), old.withPeerUrls(urls));
        }
    }

    /** Records a member's published name and client URLs. Apply thread only. */
    public void setAttributes(long id, String name, List<String> clientUrls) {
        ClusterMember old = view.members().get(id);
        if (old != null) {
            put(Optional.of(old), old.withAttributes(name, clientUrls));
        }
    }

    private void put(Optional<ClusterMember> old, ClusterMember m) {
        try (WriteTxn txn = backend.write()) {
            txn.put(Bucket.MEMBERS, m.hexId().getBytes(StandardCharsets.UTF_8), m.toJson());
        }
        Map<Long, ClusterMember> members = copy();
        members.put(m.id(), m);
        view = new View(Collections.unmodifiableMap(members), view.removed());
        listeners.forEach(l -> l.changed(old, Optional.of(m)));
    }

    private Map<Long, ClusterMember> copy() {
        Map<Long, ClusterMember> members = new TreeMap<>(Long::compareUnsigned);
        members.putAll(view.members());
        return members;
    }

    @Override
    public String toString() {
        List<String> ids = new ArrayList<>();
        view.members().values().forEach(m -> ids.add(m.hexId() + (m.learner() ? "(learner)" : "")));
        return "Membership" + ids;
    }
}

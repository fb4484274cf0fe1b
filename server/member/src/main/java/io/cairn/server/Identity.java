package io.cairn.server;

import io.cairn.api.etcdserverpb.Metadata;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.membership.ClusterMember;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Who this member is and how its raft log starts (etcd's {@code bootstrap}): a member with a WAL takes its member
 * and cluster ID from the WAL's metadata, whatever the flags say now; a new member of a new cluster
 * ({@code --initial-cluster-state new}) derives both from {@code --initial-cluster} and the token and bootstraps the
 * log with one conf change per initial member; a new member joining a running cluster
 * ({@code --initial-cluster-state existing}, after {@code member add}) asks the peers of {@code --initial-cluster}
 * for the cluster's membership, finds itself there by its advertised peer URLs and starts with an empty log that
 * the leader fills.
 *
 * @param memberId this member's ID
 * @param clusterId the cluster's ID
 * @param bootstrap the initial members' conf change contexts (member JSON) for a new cluster's first start, else
 *     empty
 * @param peers the members to connect to before any membership is applied (a new or joining member); empty for
 *     a restart, which knows them from its backend
 */
public record Identity(long memberId, long clusterId, Map<Long, byte[]> bootstrap, List<ClusterMember> peers) {

    /** The answer of a running cluster to a joining member: its ID and members. */
    public record RemoteCluster(long clusterId, List<ClusterMember> members) {
    }

    /** Asks the members at some peer URLs for the cluster's membership; fails when none answers. */
    public interface Discovery extends Function<List<URI>, RemoteCluster> {
    }

    /**
     * Resolves the identity for {@code config}.
     *
     * @param wal the WAL's metadata if the member has a WAL
     */
    public static Identity resolve(ServerConfig config, Optional<Metadata> wal, Discovery discovery) {
        if (wal.isPresent()) {
            return new Identity(wal.get().getNodeID(), wal.get().getClusterID(), Map.of(), List.of());
        }
        if (config.initialClusterState().equals("existing")) {
            return join(config, discovery);
        }
        Map<Long, byte[]> bootstrap = new LinkedHashMap<>();
        List<ClusterMember> peers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        config.initialCluster().forEach((name, urls) -> {
            for (URI u : urls) {
                if (!seen.add(u.toString())) {
                    throw new IllegalStateException("--initial-cluster has duplicate url " + u);
                }
            }
            long id = MemberIds.memberId(urls, config.initialClusterToken());
            ClusterMember m = new ClusterMember(id, name, strings(urls), List.of(), false);
            bootstrap.put(id, m.toJson());
            peers.add(m);
        });
        List<String> own = strings(config.initialAdvertisePeerUrls());
        List<String> listed = strings(config.initialCluster().get(config.name()));
        if (!new HashSet<>(own).equals(new HashSet<>(listed))) {
            throw new IllegalStateException(String.format("--initial-cluster has %s=%s but missing from "
                + "--initial-advertise-peer-urls=%s (%s)", config.name(), String.join(",", listed),
                String.join(",", own), "failed to resolve urls"));
        }
        long memberId = MemberIds.memberId(config.initialAdvertisePeerUrls(), config.initialClusterToken());
        long clusterId = MemberIds.clusterId(config.initialCluster(), config.initialClusterToken());
        return new Identity(memberId, clusterId, bootstrap, peers);
    }

    private static Identity join(ServerConfig config, Discovery discovery) {
        List<URI> others = new ArrayList<>();
        config.initialCluster().forEach((name, urls) -> {
            if (!name.equals(config.name())) {
                others.addAll(urls);
            }
        });
        if (others.isEmpty()) {
            throw new IllegalStateException("--initial-cluster-state=existing needs the running members in "
                + "--initial-cluster; it names only this member");
        }
        RemoteCluster remote = discovery.apply(others);
        Set<String> own = new HashSet<>(strings(config.initialAdvertisePeerUrls()));
        ClusterMember self = remote.members().stream()
            .filter(m -> !m.started() && new HashSet<>(m.peerUrls()).equals(own)).findFirst()
            .or(() -> remote.members().stream().filter(m -> new HashSet<>(m.peerUrls()).equals(own)).findFirst())
            .orElseThrow(() -> new IllegalStateException("member with peer URLs " + own + " has not been added "
                + "to cluster " + Long.toHexString(remote.clusterId()) + " (run 'member add' first)"));
        return new Identity(self.id(), remote.clusterId(), Map.of(), remote.members());
    }

    private static List<String> strings(List<URI> urls) {
        return urls.stream().map(URI::toString).toList();
    }
}

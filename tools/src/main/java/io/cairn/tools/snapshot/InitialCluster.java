package io.cairn.tools.snapshot;

import io.cairn.tools.dumplogs.GoText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * etcd's {@code --initial-cluster} ({@code name=url,...}; a member may be named once per peer URL) and the
 * bootstrap checks etcd runs before a restore ({@code ServerConfig.VerifyBootstrap}), with etcd's messages. URLs
 * are compared as written: etcd also resolves host names to compare them, which an offline tool should not need.
 *
 * @param members peer URLs by member name, in the order given
 */
record InitialCluster(Map<String, List<String>> members) {

    InitialCluster {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        members.forEach((name, urls) -> copy.put(name, List.copyOf(urls)));
        members = Collections.unmodifiableMap(copy);
    }

    /** Parses {@code name=url,name=url}; URLs are checked as etcd's {@code types.NewURLs} checks them. */
    static InitialCluster parse(String flag) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String part : flag.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new SnapshotException("--initial-cluster entry " + GoText.quote(entry) + " is not name=url");
            }
            members.computeIfAbsent(entry.substring(0, eq), k -> new ArrayList<>())
                .add(checkUrl(entry.substring(eq + 1).trim()));
        }
        return new InitialCluster(members);
    }

    /** The cluster of one member, {@code name} at each of {@code urls} (the server's default cluster). */
    static InitialCluster of(String name, List<String> urls) {
        return new InitialCluster(Map.of(name, urls));
    }

    /** A comma-separated URL list such as {@code --initial-advertise-peer-urls}, each URL checked. */
    static List<String> urls(String list) {
        List<String> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            out.add(checkUrl(part.trim()));
        }
        return out;
    }

    private static String checkUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new SnapshotException("parse " + GoText.quote(url) + ": " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme();
        switch (scheme) {
            case "http", "https" -> {
                if (u.getHost() == null || u.getPort() < 0) {
                    throw new SnapshotException("URL address does not have the form \"host:port\": " + url);
                }
                if (u.getRawPath() != null && !u.getRawPath().isEmpty()) {
                    throw new SnapshotException("URL must not contain a path: " + url);
                }
            }
            case "unix", "unixs" -> { }
            default -> throw new SnapshotException("URL scheme must be http, https, unix, or unixs: " + url);
        }
        return url;
    }

    /**
     * etcd's bootstrap checks for member {@code name} advertising {@code advertiseUrls}: the name is in the cluster,
     * its URLs there are exactly the advertised ones, and no URL appears twice.
     */
    void verify(String name, List<String> advertiseUrls) {
        List<String> own = members.get(name);
        if (own == null) {
            throw new SnapshotException("couldn't find local name " + GoText.quote(name)
                + " in the initial cluster configuration");
        }
        List<String> clusterSide = own.stream().sorted().toList();
        List<String> advertised = advertiseUrls.stream().sorted().toList();
        if (!clusterSide.equals(advertised)) {
            List<String> missing = clusterSide.stream().filter(u -> !advertised.contains(u)).map(u -> name + "=" + u)
                .toList();
            if (!missing.isEmpty()) {
                throw new SnapshotException("--initial-cluster has " + String.join(",", missing)
                    + " but missing from --initial-advertise-peer-urls=" + String.join(",", advertised));
            }
            List<String> extra = advertised.stream().filter(u -> !clusterSide.contains(u)).toList();
            if (!extra.isEmpty()) {
                throw new SnapshotException("--initial-advertise-peer-urls has " + String.join(",", extra)
                    + " but missing from --initial-cluster=" + of(name, advertiseUrls));
            }
        }
        Set<String> seen = new HashSet<>();
        for (List<String> urls : members.values()) {
            for (String url : urls) {
                if (!seen.add(url)) {
                    throw new SnapshotException("initial cluster " + this + " has duplicate url");
                }
            }
        }
    }

    /** etcd's {@code URLsMap.String()}: every {@code name=url} pair, sorted, comma-separated. */
    @Override
    public String toString() {
        List<String> pairs = new ArrayList<>();
        members.forEach((name, urls) -> urls.forEach(u -> pairs.add(name + "=" + u)));
        pairs.sort(null);
        return String.join(",", pairs);
    }
}

package io.cairn.server;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Member and cluster IDs computed as etcd's membership package does at bootstrap: a member's ID is the first 8
 * bytes (big-endian) of SHA-1 over its sorted peer URLs concatenated with the cluster token; the cluster ID is the
 * first 8 bytes of SHA-1 over the sorted member IDs (8 bytes big-endian each). Deterministic, so a restarted
 * member gets the same IDs from the same flags.
 */
public final class MemberIds {
    private MemberIds() {
    }

    public static long memberId(List<URI> peerUrls, String clusterToken) {
        List<String> urls = new ArrayList<>();
        peerUrls.forEach(u -> urls.add(u.toString()));
        urls.sort(null);
        byte[] b = (String.join("", urls) + clusterToken).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.wrap(sha1(b)).getLong();
    }

    public static long clusterId(Map<String, List<URI>> initialCluster, String clusterToken) {
        List<Long> ids = new ArrayList<>();
        initialCluster.values().forEach(urls -> ids.add(memberId(urls, clusterToken)));
        ids.sort(Long::compareUnsigned);
        ByteBuffer buf = ByteBuffer.allocate(8 * ids.size());
        ids.forEach(buf::putLong);
        return ByteBuffer.wrap(sha1(buf.array())).getLong();
    }

    private static byte[] sha1(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }
}

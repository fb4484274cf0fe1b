package io.cairn.server.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One member of the cluster as etcd's {@code membership.Member}: raft attributes (ID, peer URLs, learner) decided
 * by membership changes, and attributes (name, client URLs) a member publishes once started; a member added but
 * not yet started has an empty name. Its JSON form is etcd's, used in a conf change's context and in the
 * {@code members} bucket: {@code {"id":N,"peerURLs":[...],"isLearner":true,"name":"...","clientURLs":[...]}} with
 * the ID as an unsigned 64-bit number and empty fields omitted. Immutable.
 */
public record ClusterMember(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ClusterMember {
        Objects.requireNonNull(name, "name");
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    /** A member as a membership change names it: no attributes yet. */
    public static ClusterMember unstarted(long id, List<String> peerUrls, boolean learner) {
        return new ClusterMember(id, "", peerUrls, List.of(), learner);
    }

    /** Whether the member has published its attributes (etcd: {@code IsStarted}). */
    public boolean started() {
        return !name.isEmpty();
    }

    public ClusterMember withAttributes(String newName, List<String> newClientUrls) {
        return new ClusterMember(id, newName, peerUrls, newClientUrls, learner);
    }

    public ClusterMember withPeerUrls(List<String> urls) {
        return new ClusterMember(id, name, urls, clientUrls, learner);
    }

    public ClusterMember promoted() {
        return new ClusterMember(id, name, peerUrls, clientUrls, false);
    }

    /** etcd's JSON encoding. */
    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", new BigInteger(Long.toUnsignedString(id)));
        ArrayNode peers = o.putArray("peerURLs");
        peerUrls.forEach(peers::add);
        if (learner) {
            o.put("isLearner", true);
        }
        if (!name.isEmpty()) {
            o.put("name", name);
        }
        if (!clientUrls.isEmpty()) {
            ArrayNode clients = o.putArray("clientURLs");
            clientUrls.forEach(clients::add);
        }
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses etcd's JSON encoding.
     *
     * @throws IllegalArgumentException when {@code json} is not a member
     */
    public static ClusterMember fromJson(byte[] json) {
        try {
            JsonNode o = JSON.readTree(json);
            if (o == null || !o.isObject() || !o.path("id").isIntegralNumber()) {
                throw new IllegalArgumentException("not a member: " + new String(json, StandardCharsets.UTF_8));
            }
            return new ClusterMember(o.get("id").bigIntegerValue().longValue(), o.path("name").asText(""),
                strings(o.path("peerURLs")), strings(o.path("clientURLs")), o.path("isLearner").asBoolean(false));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable member JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The ID as etcd prints it: lower-case hex. */
    public String hexId() {
        return Long.toHexString(id);
    }
}

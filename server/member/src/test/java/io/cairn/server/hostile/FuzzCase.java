package io.cairn.server.hostile;

import io.cairn.server.hostile.HostileClient.Outcome;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One fuzz case: endpoint, transport (gRPC or JSON gateway), the mutations applied and the resulting bytes, all
 * derived from the seed and the case's index only ({@link #of}), so that any case can be replayed alone. Immutable.
 */
public record FuzzCase(long seed, int index, Corpus.Endpoint endpoint, Transport transport, List<Enum<?>> mutations,
                       byte[] body) {
    /** How the case reaches the member. */
    public enum Transport {
        /** grpc-java's client: a well-framed gRPC message with any content. */
        GRPC,
        /** The JSON gateway over HTTP/1.1. */
        JSON,
        /** Raw HTTP/2 frames: the gRPC message prefix (flag, length) is mutated too; DATA cut into pieces. */
        RAW_H2
    }

    /** Mutations of the gRPC message prefix on {@link Transport#RAW_H2}. */
    enum PrefixMutation {
        TRUE_LENGTH, SHORTER, LONGER, HUGE, ZERO, COMPRESSED_FLAG, BAD_FLAG, TWO_MESSAGES
    }

    /**
     * gRPC codes a hostile request may get: etcd's validation errors (InvalidArgument, OutOfRange, NotFound,
     * FailedPrecondition), limits (ResourceExhausted), Unimplemented, Internal for a message that does not parse
     * (grpc-go's "error unmarshalling request"), and Unknown for a message cut short by the end of the stream
     * (grpc-go's "unexpected EOF").
     */
    static final Set<Status.Code> ANSWERS = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
        Status.Code.OUT_OF_RANGE, Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION,
        Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNIMPLEMENTED, Status.Code.INTERNAL, Status.Code.UNKNOWN);
    /** The gateway's body limit with etcd's defaults: a larger body may be cut off with the connection. */
    private static final int LARGEST_BODY_READ = 1_572_864 + 512 * 1024;
    /** Words that show an exception escaped to the client instead of an error etcd would give. */
    private static final List<String> LEAKS = List.of("Exception", "java.", "\tat ", "Error:");

    /** What running the case gave; {@code skipped} when the mutation would have touched the known keys. */
    public record Result(FuzzCase fuzzCase, Outcome outcome, boolean skipped) {
    }

    /** Case {@code index} of {@code seed}. */
    public static FuzzCase of(long seed, int index, List<Corpus.Endpoint> endpoints) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, index));
        Corpus.Endpoint e = endpoints.get(rnd.nextInt(endpoints.size()));
        int t = rnd.nextInt(3);
        Transport transport = t == 1 && e.jsonPath() != null ? Transport.JSON
            : t == 2 && e.shape() == Corpus.Shape.UNARY ? Transport.RAW_H2 : Transport.GRPC;
        int s = rnd.nextInt(e.seeds().size());
        List<Enum<?>> kinds = new ArrayList<>();
        byte[] body;
        if (transport == Transport.JSON) {
            List<JsonMutator.Kind> applied = new ArrayList<>();
            body = JsonMutator.mutate(e.json(s), rnd, applied);
            kinds.addAll(applied);
        } else {
            Corpus.Endpoint o = endpoints.get(rnd.nextInt(endpoints.size()));
            byte[] other = o.seeds().get(rnd.nextInt(o.seeds().size())).toByteArray();
            List<ProtoMutator.Kind> applied = new ArrayList<>();
            body = ProtoMutator.mutate(e.seeds().get(s).toByteArray(), other, rnd, applied);
            kinds.addAll(applied);
            if (transport == Transport.RAW_H2) {
                PrefixMutation p = PrefixMutation.values()[rnd.nextInt(PrefixMutation.values().length)];
                kinds.add(p);
                body = framed(body, p, rnd);
            }
        }
        return new FuzzCase(seed, index, e, transport, List.copyOf(kinds), body);
    }

    /** The DATA payload for {@link Transport#RAW_H2}: {@code message} behind a (mutated) gRPC prefix. */
    private static byte[] framed(byte[] message, PrefixMutation p, SplittableRandom rnd) {
        long n = message.length;
        byte[] out = switch (p) {
            case TRUE_LENGTH, COMPRESSED_FLAG, BAD_FLAG -> RawHttp2.grpcLyingPrefix(n, message);
            case SHORTER -> RawHttp2.grpcLyingPrefix(n == 0 ? 0 : rnd.nextLong(n), message);
            case LONGER -> RawHttp2.grpcLyingPrefix(n + 1 + rnd.nextInt(1000), message);
            case HUGE -> RawHttp2.grpcLyingPrefix(new long[] {0xffffffffL, 0x80000000L, 0x7fffffffL,
                2_097_153}[rnd.nextInt(4)], message);
            case ZERO -> RawHttp2.grpcLyingPrefix(0, message);
            case TWO_MESSAGES -> ProtoMutator.concat(RawHttp2.grpcMessage(message), RawHttp2.grpcMessage(message));
        };
        if (p == PrefixMutation.COMPRESSED_FLAG) {
            out[0] = 1;
        } else if (p == PrefixMutation.BAD_FLAG) {
            out[0] = (byte) (2 + rnd.nextInt(254));
        }
        return out;
    }

    private static long mix(long seed, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Whether sending this case leaves the known keys alone. */
    public boolean harmless() {
        return switch (transport) {
            case JSON -> Corpus.harmlessJson(endpoint, body);
            case GRPC -> Corpus.harmless(endpoint, body);
            case RAW_H2 -> Corpus.harmless(endpoint, Arrays.copyOfRange(body, 5, body.length))
                && Corpus.harmless(endpoint, Arrays.copyOfRange(body, 5, (int) Math.min(body.length,
                    5 + (RawHttp2.readInt(body, 1) & 0xffffffffL))));
        };
    }

    /** Sends the case (unless it is not {@link #harmless}). */
    public Result run(HostileClient client) {
        if (!harmless()) {
            return new Result(this, null, true);
        }
        Outcome o;
        if (transport == Transport.RAW_H2) {
            o = client.rawGrpc(endpoint.grpcMethod(), body, 1 + index % 3);
        } else if (transport == Transport.JSON) {
            o = endpoint.jsonPath().equals("/v3/watch") ? client.jsonWatch(body)
                : client.json(endpoint.jsonPath(), body);
        } else if (endpoint.shape() == Corpus.Shape.BIDI && endpoint.grpcMethod().endsWith("/Watch")) {
            o = client.grpcBidi(endpoint.grpcMethod(), body, HostileClient.watchProbe(), HostileClient::isProbeAnswer);
        } else if (endpoint.shape() == Corpus.Shape.BIDI) {
            o = client.grpcBidi(endpoint.grpcMethod(), body, null, response -> false);
        } else {
            o = client.grpcUnary(endpoint.grpcMethod(), body);
        }
        return new Result(this, o, false);
    }

    /** HTTP/2's stream error for data beyond the flow-control window. */
    private static final int FLOW_CONTROL_ERROR = 0x3;
    /**
     * HTTP/2's initial stream window: the raw client sends a body whole, without waiting for the server's
     * SETTINGS or window updates; a server that refuses the request after its first bytes stops crediting the
     * stream, so a body larger than this may be answered with FLOW_CONTROL_ERROR (as HTTP/2 requires).
     */
    private static final int DEFAULT_WINDOW = 65_535;

    /** Why {@code o} is not an acceptable answer to this case; empty when it is. */
    public Optional<String> verdict(Outcome o) {
        if (o.hung()) {
            return Optional.of("no answer within " + HostileClient.DEADLINE);
        }
        for (String leak : LEAKS) {
            if (o.message().contains(leak)) {
                return Optional.of("an internal error reached the client (" + leak + ")");
            }
        }
        if (o.transport().equals("h2") && o.code() == FLOW_CONTROL_ERROR && body.length > DEFAULT_WINDOW) {
            return Optional.empty(); // the raw client overran the stream's window after its request was refused
        }
        if (o.transport().equals("h2")) {
            return Optional.of("no gRPC status for a complete HTTP/2 request");
        }
        if (o.isGrpc()) {
            Status.Code code = Status.Code.values()[o.code()];
            if (!ANSWERS.contains(code)) {
                return Optional.of("gRPC code " + code + " is not an answer etcd gives to a bad request");
            }
            if (code == Status.Code.INTERNAL && parses()) {
                return Optional.of("Internal for a request that parses");
            }
            if (code == Status.Code.UNKNOWN && !framingLies()) {
                return Optional.of("Unknown is etcd's answer to a message cut short only");
            }
            return Optional.empty();
        }
        if (o.code() == 0 && body.length <= LARGEST_BODY_READ) {
            return Optional.of("the gateway call failed: " + o.message());
        }
        if (o.code() >= 500 && o.code() != 501 && !(o.code() == 500 && endpoint.jsonPath().equals("/v3/watch"))) {
            return Optional.of("HTTP " + o.code() + " from the gateway");
        }
        return Optional.empty();
    }

    /** Whether the gRPC prefix was mutated (raw HTTP/2 only): the message may end before its declared length. */
    private boolean framingLies() {
        return transport == Transport.RAW_H2 && mutations.get(mutations.size() - 1) != PrefixMutation.TRUE_LENGTH;
    }

    /** Whether the message parses and is framed truly (so that Internal, a parse failure, is no answer). */
    private boolean parses() {
        byte[] message = body;
        if (transport == Transport.RAW_H2) {
            if (mutations.get(mutations.size() - 1) != PrefixMutation.TRUE_LENGTH) {
                return false;
            }
            message = Arrays.copyOfRange(body, 5, body.length);
        }
        try {
            endpoint.builder().get().mergeFrom(message);
            return true;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        String shown = transport == Transport.JSON
            ? new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8)
            : HexFormat.of().formatHex(body, 0, Math.min(body.length, 150));
        return "case " + index + " of seed " + seed + ": " + endpoint.grpcMethod() + " over " + transport
            + (transport == Transport.JSON ? " " + endpoint.jsonPath() : "") + ", mutations " + mutations + ", "
            + body.length + " bytes: " + shown;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FuzzCase c && c.seed == seed && c.index == index;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed) * 31 + index;
    }
}

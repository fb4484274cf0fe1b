package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real {@code etcdctl} (Debian's etcd-client 3.4, API v3) against an endpoint and normalizes its output
 * so that answers from Cairn and from etcd compare equal where etcd's are deterministic: member and cluster IDs
 * become {@code <id>}, and client-side retry warnings are reduced to the gRPC code and message they report.
 */
final class Etcdctl {
    static final Path BINARY = Path.of("/usr/bin/etcdctl");
    private static final Pattern IDS = Pattern.compile(
        "(\"cluster_id\":|\"member_id\":|\"ClusterID\" : |\"MemberID\" : )\\d+");
    private static final Pattern RPC_ERROR = Pattern.compile("\"error\":\"(rpc error: code = [^\"]*)\"");

    /** Exit status, normalized stdout, and stderr reduced to its gRPC errors and "Error:" lines. */
    record Result(int exit, String out, String err) {
    }

    private Etcdctl() {
    }

    static Result run(String endpoint, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--endpoints=" + endpoint,
            "--command-timeout=20s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(p.waitFor(ServerProcess.DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("etcdctl %s", args).isTrue();
        String stdout = new String(out.get(), StandardCharsets.UTF_8);
        String stderr = new String(err.get(), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), IDS.matcher(stdout).replaceAll("$1<id>"), errors(stderr));
    }

    private static String errors(String stderr) {
        Set<String> lines = new LinkedHashSet<>();
        for (String line : stderr.split("\n")) {
            Matcher m = RPC_ERROR.matcher(line);
            if (m.find()) {
                lines.add(m.group(1));
            } else if (line.startsWith("Error:")) {
                lines.add(line);
            }
        }
        return String.join("\n", lines);
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

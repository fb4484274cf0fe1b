package io.cairn.server;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.mvcc.quota.AlarmType;
import io.cairn.server.config.ConfigLoader;
import io.cairn.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An in-process member on a free loopback port (port 0) with the given engine; close() stops both. */
final class TestMember implements AutoCloseable {
    final Member member;
    final ClientServer server;

    private TestMember(Member member, ClientServer server) {
        this.member = member;
        this.server = server;
    }

    static TestMember start(Path dataDir, String engine, String... extraFlags) {
        String[] base = {"--data-dir", dataDir.toString(), "--backend-engine", engine,
            "--listen-client-urls", "http://127.0.0.1:0", "--advertise-client-urls", "http://127.0.0.1:0",
            "--listen-peer-urls", "http://127.0.0.1:0"};
        String[] args = new String[base.length + extraFlags.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extraFlags, 0, args, base.length, extraFlags.length);
        ServerConfig config = ((ConfigLoader.Run) ConfigLoader.load(args, Map.of())).config();
        Member member = Member.open(config, System::nanoTime, System::currentTimeMillis);
        try {
            member.awaitReady(Member.requestTimeout(config));
            member.publish(Member.requestTimeout(config));
        } catch (Exception e) {
            member.close();
            throw new IllegalStateException("member did not start: " + e.getMessage(), e);
        }
        try {
            return new TestMember(member, ClientServer.start(member));
        } catch (RuntimeException e) {
            member.close();
            throw e;
        }
    }

    /** Proposes a put through raft and waits until it is applied. */
    void put(String key, String value) throws Exception {
        member.propose(InternalRaftRequest.newBuilder().setPut(PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))))
            .get(20, TimeUnit.SECONDS);
    }

    /** Proposes an alarm request through raft (as the Maintenance service does) and waits until it is applied. */
    void alarm(AlarmRequest.AlarmAction action, long memberId, AlarmType type) throws Exception {
        member.propose(InternalRaftRequest.newBuilder().setAlarm(AlarmRequest.newBuilder().setAction(action)
            .setMemberID(memberId).setAlarmValue(type.number()))).get(20, TimeUnit.SECONDS);
    }

    /** The first client URL with its bound port ({@code https://} when that URL asks for TLS). */
    String endpoint() {
        return member.config().listenClientUrls().get(0).getScheme() + "://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            member.close();
        }
    }
}

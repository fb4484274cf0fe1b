package io.cairn.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipTest {
    @TempDir
    Path dir;

    @Test
    void memberJsonIsEtcdsWithAnUnsignedIdAndEmptyFieldsOmitted() {
        ClusterMember m = new ClusterMember(0x8e9e05c52164694dL, "", List.of("http://127.0.0.1:2380"), List.of(),
            true);
        String json = new String(m.toJson(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"id\":10276657743932975437,\"peerURLs\":[\"http://127.0.0.1:2380\"],"
            + "\"isLearner\":true}");
        assertThat(ClusterMember.fromJson(m.toJson())).isEqualTo(m);
        ClusterMember started = m.withAttributes("m1", List.of("http://127.0.0.1:2379")).promoted();
        assertThat(new String(started.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":10276657743932975437,"
            + "\"peerURLs\":[\"http://127.0.0.1:2380\"],\"name\":\"m1\",\"clientURLs\":[\"http://127.0.0.1:2379\"]}");
        assertThat(ClusterMember.fromJson(started.toJson())).isEqualTo(started);
        assertThatThrownBy(() -> ClusterMember.fromJson("[]".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a member");
    }

    @Test
    void changesPersistTellListenersAndARemovedIdNeverComesBack() {
        List<String> seen = new ArrayList<>();
        try (Backend backend = Backends.open(BackendOptions.of(dir.resolve("db"), "memory"))) {
            Membership ms = Membership.load(backend);
            assertThat(ms.admits(42)).as("nothing applied yet: every peer may connect").isTrue();
            ms.addListener((before, after) -> seen.add(before.map(ClusterMember::hexId).orElse("-") + ">"
                + after.map(m -> m.hexId() + (m.learner() ? "L" : "")).orElse("-")));
            ms.add(ClusterMember.unstarted(1, List.of("http://127.0.0.1:1"), false));
            ms.add(ClusterMember.unstarted(2, List.of("http://127.0.0.1:2"), true));
            ms.setAttributes(2, "two", List.of("http://127.0.0.1:20"));
            ms.add(ClusterMember.unstarted(2, List.of("http://127.0.0.1:2"), false));
            ms.updatePeerUrls(1, List.of("http://127.0.0.1:11"));
            ms.add(ClusterMember.unstarted(3, List.of("http://127.0.0.1:3"), false));
            ms.remove(3);
            ms.add(ClusterMember.unstarted(3, List.of("http://127.0.0.1:3"), false));
            assertThat(seen).containsExactly("->1", "->2L", "2>2L", "2>2", "1>1", "->3", "3>-");
            assertThat(ms.member(2)).get().satisfies(m -> {
                assertThat(m.name()).isEqualTo("two");
                assertThat(m.learner()).isFalse();
            });
            assertThat(ms.byPeerUrl("http://127.0.0.1:11")).map(ClusterMember::id).contains(1L);
            assertThat(ms.isRemoved(3)).isTrue();
            assertThat(ms.admits(1)).isTrue();
            assertThat(ms.admits(3)).as("removed").isFalse();
            assertThat(ms.admits(42)).as("never added").isFalse();
            assertThat(ms.voters()).containsExactly(1L, 2L);

            Membership reopened = Membership.load(backend);
            assertThat(reopened.members()).isEqualTo(ms.members());
            assertThat(reopened.isRemoved(3)).isTrue();
            assertThat(reopened.member(3)).isEqualTo(Optional.empty());
        }
    }
}

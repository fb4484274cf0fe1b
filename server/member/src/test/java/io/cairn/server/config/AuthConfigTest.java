package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthConfigTest {
    private static ServerConfig load(String... args) {
        return ((ConfigLoader.Run) ConfigLoader.load(args, Map.of())).config();
    }

    @Test
    void defaultsAreEtcds() {
        ServerConfig.Auth auth = load().auth();
        assertThat(auth.token()).isEqualTo(AuthTokenSpec.DEFAULT);
        assertThat(auth.simpleTokenTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(auth.bcryptCost()).isEqualTo(10);
        assertThat(ConfigLoader.usage()).contains("--auth-token 'simple'", "--bcrypt-cost '10'",
            "--auth-token-ttl '300'");
    }

    @Test
    void flagsAndVariablesSetThem() {
        ServerConfig.Auth auth = load("--bcrypt-cost", "4", "--auth-token-ttl", "7", "--auth-token",
            "jwt,pub-key=/k/pub.pem,priv-key=/k/priv.pem,sign-method=ES256,ttl=90s").auth();
        assertThat(auth.bcryptCost()).isEqualTo(4);
        assertThat(auth.simpleTokenTtl()).isEqualTo(Duration.ofSeconds(7));
        assertThat(auth.token()).isEqualTo(new AuthTokenSpec("jwt", "ES256", Optional.of(Path.of("/k/pub.pem")),
            Optional.of(Path.of("/k/priv.pem")), Duration.ofSeconds(90)));
        ServerConfig fromEnv = ((ConfigLoader.Run) ConfigLoader.load(new String[0],
            Map.of("ETCD_AUTH_TOKEN_TTL", "0"))).config();
        assertThat(fromEnv.auth().simpleTokenTtl()).as("0 is etcd's default").isEqualTo(Duration.ofSeconds(300));
        assertThat(AuthTokenSpec.parse("jwt,priv-key=/s,sign-method=HS256").ttl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatThrownBy(() -> load("--bcrypt-cost", "3")).hasMessageContaining("--bcrypt-cost");
        assertThatThrownBy(() -> load("--bcrypt-cost", "32")).hasMessageContaining("--bcrypt-cost");
        assertThatThrownBy(() -> load("--auth-token-ttl", "-1")).hasMessageContaining("-auth-token-ttl");
        assertThatThrownBy(() -> load("--auth-token", "opaque")).hasMessageContaining("-auth-token")
            .hasMessageContaining("unknown token type");
        assertThatThrownBy(() -> load("--auth-token", "jwt,priv-key=/k")).hasMessageContaining("signature method");
        assertThatThrownBy(() -> load("--auth-token", "jwt,sign-method=RS256")).hasMessageContaining("missing key");
        assertThatThrownBy(() -> load("--auth-token", "jwt,sign-method=RS256,ttl")).hasMessageContaining(
            "invalid auth options");
        assertThatThrownBy(() -> load("--auth-token", "jwt,sign-method=RS256,sign-method=RS256,pub-key=/p"))
            .hasMessageContaining("invalid auth options");
        assertThatThrownBy(() -> load("--auth-token", "jwt,sign-method=RS256,pub-key=/p,ttl=soon"))
            .hasMessageContaining("invalid duration");
    }
}

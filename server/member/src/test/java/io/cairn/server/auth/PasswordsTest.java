package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordsTest {
    private final Passwords passwords = new Passwords(Passwords.MIN_COST);

    @Test
    void hashesAreGoStyleBcryptWithTheConfiguredCostAndFreshSalt() {
        String hash = new String(passwords.hash("secret"), StandardCharsets.US_ASCII);
        assertThat(hash).startsWith("$2a$04$").hasSize(60);
        assertThat(new String(passwords.hash("secret"), StandardCharsets.US_ASCII)).isNotEqualTo(hash);
        assertThat(Passwords.matches(hash.getBytes(StandardCharsets.US_ASCII), "secret")).isTrue();
        assertThat(Passwords.matches(hash.getBytes(StandardCharsets.US_ASCII), "Secret")).isFalse();
        assertThat(Passwords.matches(new byte[0], "")).isFalse();
        assertThat(Passwords.matches("not bcrypt".getBytes(StandardCharsets.US_ASCII), "x")).isFalse();
        byte[] decoded = Base64.getDecoder().decode(passwords.hashBase64("pw"));
        assertThat(Passwords.matches(decoded, "pw")).isTrue();
    }

    @Test
    void checksHashesOfOtherBcryptImplementations() {
        // the OpenBSD/jBCrypt test vectors (also what Go's x/crypto/bcrypt produces for these salts)
        assertThat(Passwords.matches(ascii("$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."), ""))
            .isTrue();
        assertThat(Passwords.matches(ascii("$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe"), "a"))
            .isTrue();
    }

    @Test
    void refusesWhatGoRefuses() {
        assertThatThrownBy(() -> new Passwords(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Passwords(32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> passwords.hash("x".repeat(73))).hasMessage(Passwords.TOO_LONG);
        assertThat(passwords.hash("x".repeat(72))).isNotEmpty();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.cairn.backend.xodus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parsing and validation of the engine settings; what the conformance suite cannot see. */
class XodusSettingsTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        assertThat(XodusSettings.parse(Map.of())).isEqualTo(new XodusSettings(8, 25, true, 50));
        assertThat(new XodusEngineProvider().settingKeys()).containsExactlyInAnyOrder("logFileSizeMiB",
            "cacheHeapPercent", "gcEnabled", "gcMinUtilizationPercent");
    }

    @Test
    void everyKeyIsRead() {
        XodusSettings s = XodusSettings.parse(Map.of("logFileSizeMiB", "16", "cacheHeapPercent", " 40 ",
            "gcEnabled", "FALSE", "gcMinUtilizationPercent", "70"));
        assertThat(s).isEqualTo(new XodusSettings(16, 40, false, 70));
        assertThat(s.logFileSizeBytes()).isEqualTo(16L << 20);
        assertThat(XodusEngine.config(s).getLogFileSize()).isEqualTo(16L * 1024);
        assertThat(XodusEngine.config(s).getGcMinUtilization()).isEqualTo(70);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
            Arguments.of("logFileSizeMiB", "0", "logFileSizeMiB must be in [1, 1024]: 0"),
            Arguments.of("logFileSizeMiB", "2048", "must be in [1, 1024]"),
            Arguments.of("logFileSizeMiB", "8MB", "logFileSizeMiB must be an integer: '8MB'"),
            Arguments.of("cacheHeapPercent", "0", "cacheHeapPercent must be in [1, 90]: 0"),
            Arguments.of("cacheHeapPercent", "95", "cacheHeapPercent must be in [1, 90]"),
            Arguments.of("gcEnabled", "yes", "gcEnabled must be true or false: 'yes'"),
            Arguments.of("gcMinUtilizationPercent", "91", "gcMinUtilizationPercent must be in [1, 90]: 91"),
            Arguments.of("gcMinUtilizationPercent", "", "gcMinUtilizationPercent must be an integer: ''"),
            Arguments.of("exodus.log.fileSize", "1", "unknown settings [exodus.log.fileSize]"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void badValuesAreRefusedWithTheKeyAndValue(String key, String value, String message) {
        assertThatThrownBy(() -> XodusSettings.parse(Map.of(key, value)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}

package io.cairn.backend.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MapDbSettingsTest {

    @Test
    void defaultsAreDocumentedValues() {
        MapDbSettings d = MapDbSettings.parse(Map.of());
        assertThat(d).isEqualTo(new MapDbSettings(MapDbSettings.Volume.FILECHANNEL, 32, true, 64L << 20, 1024));
        assertThat(new MapDbEngineProvider().settingKeys()).containsExactlyInAnyOrder("volume", "maxNodeSize",
            "journalSync", "checkpointBytes", "inlineValueBytes");
    }

    @Test
    void validValuesAreParsed() {
        MapDbSettings s = MapDbSettings.parse(Map.of("volume", " MMAP ", "maxNodeSize", "64", "journalSync", "false",
            "checkpointBytes", "1048576", "inlineValueBytes", "0"));
        assertThat(s).isEqualTo(new MapDbSettings(MapDbSettings.Volume.MMAP, 64, false, 1L << 20, 0));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
            Arguments.of("cacheSize", "1", "unknown engine setting 'cacheSize'"),
            Arguments.of("volume", "disk", "must be one of filechannel, raf, mmap"),
            Arguments.of("maxNodeSize", "4", "must be in [8, 1024]: 4"),
            Arguments.of("maxNodeSize", "lots", "must be an integer"),
            Arguments.of("journalSync", "yes", "must be true or false"),
            Arguments.of("checkpointBytes", "1000", "must be in [1048576"),
            Arguments.of("inlineValueBytes", "-1", "must be in [0, 65536]"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidValuesAreRefusedWithTheKeyAndValue(String key, String value, String message) {
        assertThatThrownBy(() -> MapDbSettings.parse(Map.of(key, value)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key).hasMessageContaining(message);
    }
}

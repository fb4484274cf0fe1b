package io.cairn.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoadArgsTest {
    @Test
    void etcdPerformanceGuideCommandParses() {
        LoadOptions o = LoadArgs.parse("--endpoints=127.0.0.1:2379", "--conns=100", "--clients=1000", "put",
            "--key-size=8", "--sequential-keys", "--total=100000", "--val-size=256");

        assertThat(o.command()).isEqualTo(Command.PUT);
        assertThat(o.client()).isEqualTo(new ClientOptions(List.of("127.0.0.1:2379"), 100, 1000, Duration.ZERO,
            Duration.ZERO));
        assertThat(o.total()).isEqualTo(100_000);
        assertThat(o.keys()).isEqualTo(new KeySpace(8, 256, 1, true));
        assertThat(o.ratePerSecond()).isZero();
        assertThat(o.output()).isEqualTo(OutputOptions.DEFAULT);
    }

    @Test
    void defaultsAreEtcdsAndWatchLatencyHasItsOwnSizes() {
        LoadOptions put = LoadArgs.parse("put");
        assertThat(put.client()).isEqualTo(new ClientOptions(List.of("127.0.0.1:2379"), 1, 1, Duration.ZERO,
            Duration.ZERO));
        assertThat(put.total()).isEqualTo(10_000);
        assertThat(put.keys()).isEqualTo(new KeySpace(8, 8, 1, false));

        LoadOptions watch = LoadArgs.parse("watch-latency");
        assertThat(watch.keys()).isEqualTo(new KeySpace(32, 32, 1, false));
        assertThat(watch.ratePerSecond()).isEqualTo(100);
        assertThat(LoadArgs.parse("txn-put").txnOps()).isEqualTo(1);
    }

    @Test
    void rangeTakesKeyEndAndConsistencyInAnyOrder() {
        LoadOptions o = LoadArgs.parse("range", "--consistency", "s", "foo", "--total=5", "fop", "--clients", "7");

        assertThat(o.range()).contains(new RangeTarget(ByteString.copyFromUtf8("foo"), ByteString.copyFromUtf8("fop"),
            true));
        assertThat(o.total()).isEqualTo(5);
        assertThat(o.client().clients()).isEqualTo(7);
        assertThat(LoadArgs.parse("range", "k").range().orElseThrow().serializable()).isFalse();
        assertThat(LoadArgs.parse("range", "--", "--odd-key").range().orElseThrow().key())
            .isEqualTo(ByteString.copyFromUtf8("--odd-key"));
    }

    @Test
    void flagSpellingsAsPflagReadsThem() {
        LoadOptions o = LoadArgs.parse("put", "--total", "1_000", "--sequential-keys=false", "--rate=50",
            "--endpoints", "http://10.0.0.1:2379/, [::1]:2379", "--dial-timeout=1m30s", "--request-timeout=250ms",
            "--json", "out.json", "--label=cairn", "--precise", "--total=2_000");

        assertThat(o.total()).isEqualTo(2000);
        assertThat(o.keys().sequential()).isFalse();
        assertThat(o.ratePerSecond()).isEqualTo(50);
        assertThat(o.client().endpoints()).containsExactly("10.0.0.1:2379", "[::1]:2379");
        assertThat(o.client().dialTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.client().requestTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.output()).isEqualTo(new OutputOptions(Optional.of(Path.of("out.json")), "cairn", true));
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
            Arguments.of(List.of(), "missing subcommand"),
            Arguments.of(List.of("frobnicate"), "unknown command \"frobnicate\" for \"cairn-bench load\""),
            Arguments.of(List.of("put", "--bogus=1"), "unknown flag: --bogus"),
            Arguments.of(List.of("put", "--consistency=s"), "unknown flag: --consistency (not a flag of put)"),
            Arguments.of(List.of("range", "k", "--key-size=4"), "unknown flag: --key-size (not a flag of range)"),
            Arguments.of(List.of("put", "-t", "5"), "unknown shorthand flag: -t"),
            Arguments.of(List.of("put", "--total"), "flag needs an argument: --total"),
            Arguments.of(List.of("put", "--total=abc"),
                "invalid argument \"abc\" for \"--total\" flag: expected an integer"),
            Arguments.of(List.of("put", "--total=0"), "--total must be at least 1, got 0"),
            Arguments.of(List.of("put", "--clients=0"), "--clients must be at least 1, got 0"),
            Arguments.of(List.of("--conns=-1", "put"), "--conns must be at least 1, got -1"),
            Arguments.of(List.of("put", "--rate=-5"), "--rate must not be negative, got -5"),
            Arguments.of(List.of("put", "--sequential-keys=maybe"),
                "invalid argument \"maybe\" for \"--sequential-keys\" flag: expected true or false"),
            Arguments.of(List.of("put", "--key-space-size=0"), "--key-space-size must be positive, got 0"),
            Arguments.of(List.of("put", "--key-size=1", "--key-space-size=100"),
                "--key-size 1 is too small for --key-space-size 100: key numbers need 2 bytes"),
            Arguments.of(List.of("put", "--val-size=-1"), "--val-size must not be negative, got -1"),
            Arguments.of(List.of("put", "extra"), "put takes no arguments, got [extra]"),
            Arguments.of(List.of("range"), "range takes a key and an optional end of range, got 0 arguments"),
            Arguments.of(List.of("range", "a", "b", "c"), "got 3 arguments"),
            Arguments.of(List.of("range", "k", "--consistency=x"),
                "invalid argument \"x\" for \"--consistency\" flag: expected l (linearizable) or s (serializable)"),
            Arguments.of(List.of("txn-put", "--txn-ops=0"), "--txn-ops must be positive, got 0"),
            Arguments.of(List.of("txn-put", "--txn-ops=3", "--key-space-size=2"),
                "--txn-ops 3 is larger than --key-space-size 2"),
            Arguments.of(List.of("watch-latency", "--put-rate=0"), "--put-rate must be at least 1, got 0"),
            Arguments.of(List.of("watch-latency", "--val-size=4"), "watch-latency needs --val-size of at least 8"),
            Arguments.of(List.of("--endpoints=https://h:2379", "put"), "TLS is not supported"),
            Arguments.of(List.of("--endpoints=localhost", "put"), "invalid endpoint \"localhost\""),
            Arguments.of(List.of("--endpoints=,", "put"), "--endpoints must name at least one endpoint"),
            Arguments.of(List.of("put", "--dial-timeout=5"),
                "invalid argument \"5\" for \"--dial-timeout\" flag: not a duration like 500ms, 2s or 1m30s: 5"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void badCommandLinesSayWhatIsWrong(List<String> args, String message) {
        assertThatThrownBy(() -> LoadArgs.parse(args.toArray(String[]::new)))
            .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.help()).isFalse())
            .hasMessageContaining(message);
    }

    @Test
    void helpIsUsageNotAnError() {
        assertThatThrownBy(() -> LoadArgs.parse("put", "--help"))
            .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.help()).isTrue())
            .hasMessageContaining("Usage: cairn-bench load <subcommand>")
            .hasMessageContaining("--key-space-size")
            .hasMessageContaining("[put,txn-put]");
    }
}

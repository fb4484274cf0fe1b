package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DynamicTest;

/**
 * One etcdctl invocation of a comparison test: what goes to its standard input (null for nothing) and its
 * arguments. {@link #against} runs it on the real etcd, then on Cairn, and expects the same result.
 */
record EtcdctlStep(String stdin, String... args) {
    static EtcdctlStep cmd(String... args) {
        return new EtcdctlStep(null, args);
    }

    /**
     * A test running this step on {@code etcdUrl} (which must answer something, unless {@code mayBeSilent}), then
     * on {@code cairnEndpoint}: exit status, output and error must be equal.
     */
    DynamicTest against(String etcdUrl, String cairnEndpoint, boolean mayBeSilent) {
        return DynamicTest.dynamicTest(toString(), () -> {
            Etcdctl.Result expected = Etcdctl.run(etcdUrl, stdin, args);
            if (!mayBeSilent) {
                assertThat(expected.out() + expected.err()).as("etcd says something to %s", this).isNotBlank();
            }
            Etcdctl.Result actual = Etcdctl.run(cairnEndpoint, stdin, args);
            assertThat(actual).as(toString()).isEqualTo(expected);
        });
    }

    @Override
    public String toString() {
        return "etcdctl " + String.join(" ", args) + (stdin == null ? "" : " <<< " + stdin.replace("\n", "\\n"));
    }
}

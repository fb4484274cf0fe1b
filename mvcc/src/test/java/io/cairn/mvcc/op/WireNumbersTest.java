package io.cairn.mvcc.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.op.RangeRequest.SortOrder;
import io.cairn.mvcc.op.RangeRequest.SortTarget;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The enums keep etcd's protobuf numbers (rpc.proto), both ways. */
class WireNumbersTest {

    static Stream<Arguments> numbers() {
        return Stream.of(
            Arguments.of(SortOrder.NONE, 0), Arguments.of(SortOrder.ASCEND, 1), Arguments.of(SortOrder.DESCEND, 2),
            Arguments.of(SortTarget.KEY, 0), Arguments.of(SortTarget.VERSION, 1), Arguments.of(SortTarget.CREATE, 2),
            Arguments.of(SortTarget.MOD, 3), Arguments.of(SortTarget.VALUE, 4),
            Arguments.of(Compare.Result.EQUAL, 0), Arguments.of(Compare.Result.GREATER, 1),
            Arguments.of(Compare.Result.LESS, 2), Arguments.of(Compare.Result.NOT_EQUAL, 3),
            Arguments.of(Compare.Target.VERSION, 0), Arguments.of(Compare.Target.CREATE, 1),
            Arguments.of(Compare.Target.MOD, 2), Arguments.of(Compare.Target.VALUE, 3),
            Arguments.of(Compare.Target.LEASE, 4));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("numbers")
    void roundTrips(Enum<?> value, int number) {
        ToIntFunction<Enum<?>> toNumber;
        IntFunction<Enum<?>> fromNumber;
        if (value instanceof SortOrder) {
            toNumber = e -> ((SortOrder) e).number();
            fromNumber = SortOrder::forNumber;
        } else if (value instanceof SortTarget) {
            toNumber = e -> ((SortTarget) e).number();
            fromNumber = SortTarget::forNumber;
        } else if (value instanceof Compare.Result) {
            toNumber = e -> ((Compare.Result) e).number();
            fromNumber = Compare.Result::forNumber;
        } else {
            toNumber = e -> ((Compare.Target) e).number();
            fromNumber = Compare.Target::forNumber;
        }
        assertThat(toNumber.applyAsInt(value)).isEqualTo(number);
        assertThat(fromNumber.apply(number)).isSameAs(value);
    }

    @Test
    void unknownSortNumbersAreEtcdsInvalidSortOption() {
        assertThatThrownBy(() -> SortOrder.forNumber(3)).isInstanceOf(MvccException.InvalidRequest.class)
            .hasMessage("etcdserver: invalid sort option");
        assertThatThrownBy(() -> SortTarget.forNumber(-1)).isInstanceOf(MvccException.InvalidRequest.class)
            .hasMessage("etcdserver: invalid sort option");
        assertThatThrownBy(() -> Compare.Target.forNumber(5)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.cairn.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** etcd's idutil layout: 16 bits of member, 40 bits of milliseconds, 8 bits of counter; positive. */
class LeaseIdGeneratorTest {

    @Test
    void idsCarryTheMemberPrefixAndTheStartTimeAndCountUp() {
        LeaseIdGenerator ids = new LeaseIdGenerator(0x7abc_0000_1234L, 0x12_3456_789aL);
        long first = ids.next();
        assertThat(first).isEqualTo(0x1234_12_3456_789a_01L);
        assertThat(ids.next()).isEqualTo(first + 1);
    }

    @Test
    void theCounterCarriesIntoTheTimestampAndIdsStayUniqueAndPositive() {
        LeaseIdGenerator ids = new LeaseIdGenerator(0xFFFF, 0xFF_FFFF_FFFFL);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            long id = ids.next();
            assertThat(id).isPositive();
            assertThat(seen.add(id)).isTrue();
        }
        assertThat(seen).contains(0x7FFF_0000_0000_0001L);
    }
}

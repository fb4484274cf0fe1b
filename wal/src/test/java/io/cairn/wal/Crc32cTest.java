package io.cairn.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cTest {
    private static int jdk(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    @Test
    void checkValueOfTheCastagnoliPolynomial() {
        assertThat(Crc32c.update(0, "123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283);
        assertThat(Crc32c.update(0, new byte[0])).isZero();
        assertThat(Crc32c.update(0x1234, new byte[0])).isEqualTo(0x1234);
    }

    @Test
    void equalsTheJdkForEveryLengthAndOffsetAndChains() {
        long seed = 20261121L;
        SplittableRandom random = new SplittableRandom(seed);
        byte[] data = new byte[4096];
        random.nextBytes(data);
        for (int offset = 0; offset < 9; offset++) {
            for (int length = 0; length < 300; length++) {
                int expected = jdk(data, offset, length);
                assertThat(Crc32c.slicingBy8(0, data, offset, length)).as("seed %d offset %d length %d", seed, offset,
                    length).isEqualTo(expected);
                assertThat(Crc32c.update(0, data, offset, length)).isEqualTo(expected);
                int split = length / 3;
                int chained = Crc32c.update(Crc32c.update(0, data, offset, split), data, offset + split,
                    length - split);
                assertThat(chained).as("chained at %d", split).isEqualTo(expected);
            }
        }
        assertThat(Crc32c.update(0, data)).isEqualTo(jdk(data, 0, data.length));
    }

    @Test
    void bothPathsAgreeForEverySeedAndLengthAroundTheSwitch() {
        long seed = 99;
        SplittableRandom random = new SplittableRandom(seed);
        byte[] data = new byte[1024];
        random.nextBytes(data);
        for (int run = 0; run < 2000; run++) {
            int crc = random.nextInt();
            int offset = random.nextInt(0, 16);
            int length = random.nextInt(0, Crc32c.INTRINSIC_MIN_BYTES * 4);
            assertThat(Crc32c.update(crc, data, offset, length)).as("seed %d run %d", seed, run)
                .isEqualTo(Crc32c.slicingBy8(crc, data, offset, length));
        }
    }

    @Test
    void theForgedPrefixPutsTheJdkRegisterWhereWanted() {
        SplittableRandom random = new SplittableRandom(5);
        for (int run = 0; run < 10_000; run++) {
            int register = run < 2 ? run - 1 : random.nextInt();
            CRC32C jdk = new CRC32C();
            jdk.update(Crc32c.prefixReaching(register));
            assertThat((int) jdk.getValue()).as("register %08x", register).isEqualTo(~register);
        }
    }

    @Test
    void chainsLikeGoCrc32UpdateOverManyRandomPieces() {
        long seed = 7;
        SplittableRandom random = new SplittableRandom(seed);
        CRC32C whole = new CRC32C();
        int running = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] piece = new byte[random.nextInt(0, 700)];
            random.nextBytes(piece);
            whole.update(piece);
            running = Crc32c.update(running, piece);
            assertThat(running).as("seed %d piece %d", seed, i).isEqualTo((int) whole.getValue());
        }
    }
}

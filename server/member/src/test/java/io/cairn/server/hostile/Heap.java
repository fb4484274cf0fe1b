package io.cairn.server.hostile;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap and Netty memory readings for the memory-bound tests. The member runs in the test's JVM, so the heap in use
 * after a full collection is the member's plus the test's; tests compare readings taken around an attack, never
 * absolute values.
 */
public final class Heap {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private Heap() {
    }

    /** Heap bytes in use after full collections (the least of three readings). */
    public static long usedAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /**
     * Memory Netty's default allocator holds (off-heap, and its own heap arenas): where Armeria keeps request bytes
     * it has read and not yet handed on, invisible to the heap readings; pooled, so it stays after a release.
     */
    public static long nettyDirect() {
        long used = 0;
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
            used += p.metric().usedDirectMemory() + p.metric().usedHeapMemory();
        }
        return Math.max(used, PlatformDependent.usedDirectMemory());
    }

    /** Heap after collections plus Netty's direct memory. */
    public static long usedAfterGcWithDirect() {
        return usedAfterGc() + nettyDirect();
    }

    /** Bytes as MiB with one decimal, for reports. */
    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}

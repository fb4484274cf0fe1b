package io.cairn.backend.rocksdb;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;

/**
 * The native option objects a DB needs for as long as it is open: options, block cache, bloom filter. Closed
 * after the DB. Every choice here is explained in the package documentation.
 */
final class RocksDbResources implements AutoCloseable {
    private static final long MIB = 1L << 20;

    private final Cache cache;
    private final BloomFilter filter;
    private final Options options;

    RocksDbResources(RocksDbSettings settings) {
        cache = new LRUCache(settings.blockCacheMb() * MIB);
        filter = settings.bloomBitsPerKey() > 0 ? new BloomFilter(settings.bloomBitsPerKey()) : null;
        BlockBasedTableConfig table = new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setBlockSize(settings.blockSizeKb() * 1024L)
            .setCacheIndexAndFilterBlocks(true)
            .setCacheIndexAndFilterBlocksWithHighPriority(true)
            .setPinL0FilterAndIndexBlocksInCache(true);
        if (filter != null) {
            table.setFilterPolicy(filter);
        }
        options = new Options()
            .setCreateIfMissing(true)
            .setCompactionStyle(CompactionStyle.LEVEL)
            .setLevelCompactionDynamicLevelBytes(true)
            .setMaxBackgroundJobs(settings.maxBackgroundJobs())
            .setWriteBufferSize(settings.writeBufferMb() * MIB)
            .setMaxWriteBufferNumber(3)
            .setBytesPerSync(MIB)
            .setAvoidFlushDuringShutdown(false)
            .setInfoLogLevel(InfoLogLevel.INFO_LEVEL)
            .setMaxLogFileSize(8 * MIB)
            .setKeepLogFileNum(4)
            .setTableFormatConfig(table);
        switch (settings.compression()) {
            case LZ4_ZSTD -> options.setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
            case LZ4 -> options.setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.LZ4_COMPRESSION);
            case ZSTD -> options.setCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
            default -> options.setCompressionType(CompressionType.NO_COMPRESSION)
                .setBottommostCompressionType(CompressionType.NO_COMPRESSION);
        }
    }

    Options options() {
        return options;
    }

    @Override
    public void close() {
        options.close();
        if (filter != null) {
            filter.close();
        }
        cache.close();
    }
}

package io.mysqlresync.incident;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Which monitor shard polls which cluster: CRC-32 of the cluster name's UTF-8 bytes, modulo the
 * number of shards. Every replica must compute the same answer, in every version, so not
 * {@link String#hashCode()}, whose value the language does not promise to keep.
 */
public final class MonitorShards {

    private MonitorShards() {
    }

    public static int of(String cluster, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, not " + shards);
        }
        CRC32 crc = new CRC32();
        crc.update(cluster.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    /** The clusters of one shard, in configuration order. */
    public static List<String> clustersOf(int shard, int shards, List<String> clusters) {
        List<String> out = new ArrayList<>();
        for (String c : clusters) {
            if (of(c, shards) == shard) {
                out.add(c);
            }
        }
        return out;
    }
}

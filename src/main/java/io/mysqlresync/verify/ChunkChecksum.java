package io.mysqlresync.verify;

/**
 * What one node holds in one chunk: its row count and an order-independent checksum of its rows
 * (the adapter's BIT_XOR and SUM of per-row CRC32s).
 */
public record ChunkChecksum(long rows, String checksum) {
}

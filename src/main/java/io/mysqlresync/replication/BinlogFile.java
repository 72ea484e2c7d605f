package io.mysqlresync.replication;

/** One row of SHOW BINARY LOGS: a binlog file and its size in bytes. */
public record BinlogFile(String name, long sizeBytes) {
    public BinlogFile {
        if (!BinlogCoordinates.isValidFileName(name)) {
            throw new IllegalArgumentException("Not a binlog file name: '" + name + "'");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("Negative size for " + name);
        }
    }

    public long sequence() {
        return BinlogCoordinates.sequenceOf(name);
    }
}

package io.mysqlresync.replication;

/** Reads every node of a configured cluster in one pass. Implemented by the JDBC adapter. */
public interface ClusterReader {
    /**
     * Never throws for a node that cannot be read: that node comes back unreachable, with the
     * reason, within the configured timeouts.
     */
    ClusterStatus read(String cluster);
}

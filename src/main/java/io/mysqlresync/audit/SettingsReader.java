package io.mysqlresync.audit;

/** Reads the audited variables of every node of a configured cluster. Implemented by the JDBC adapter. */
public interface SettingsReader {

    /** Never throws for a node that cannot be read: it comes back in {@link ClusterSettings#unreadable()}. */
    ClusterSettings read(String cluster);
}

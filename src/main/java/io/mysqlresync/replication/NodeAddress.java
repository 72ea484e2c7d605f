package io.mysqlresync.replication;

/** Where the configuration says a node listens: what a replica's Master_Host/Master_Port should name. */
public record NodeAddress(String host, int port) {

    @Override
    public String toString() {
        return host + ":" + port;
    }
}

package io.mysqlresync.config;

/** One MySQL/MariaDB server of a cluster. {@code source} defaults to the other node of a pair. */
public record NodeConfig(String name, String host, int port, String source) {
}

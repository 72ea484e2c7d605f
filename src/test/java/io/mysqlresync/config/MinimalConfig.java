package io.mysqlresync.config;

import java.util.Map;

/**
 * The smallest configuration the loader accepts, one cluster "shop" of two nodes, for tests of
 * one section: that section is appended and the whole parsed with an empty environment.
 */
final class MinimalConfig {

    static final String CLUSTERS = """
            clusters:
              - name: shop
                user: bot
                nodes:
                  - {name: node1, host: 10.0.0.1}
                  - {name: node2, host: 10.0.0.2}
            """;

    private MinimalConfig() {
    }

    /** The one cluster and then {@code sections} (YAML, "" for none), parsed. */
    static AppConfig configWith(String sections) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(CLUSTERS + sections);
    }
}

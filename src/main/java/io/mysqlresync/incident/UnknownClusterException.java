package io.mysqlresync.incident;

import java.util.List;

/** A cluster name that is not configured; the message lists the valid ones. */
public class UnknownClusterException extends RuntimeException {

    public UnknownClusterException(String name, List<String> known) {
        super("unknown cluster '" + name + "'; configured clusters: " + (known.isEmpty() ? "none" : String.join(", ", known)));
    }
}

package io.mysqlresync.store;

import io.mysqlresync.incident.StateUnreachable;

/** The state database could not be reached at all (connection refused, timed out, lost). */
public final class StateDatabaseUnreachableException extends StateStoreException implements StateUnreachable {
    public StateDatabaseUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.mysqlresync.store;

/** The state database failed: which operation, on what, and the database's own message. */
public class StateStoreException extends RuntimeException {
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

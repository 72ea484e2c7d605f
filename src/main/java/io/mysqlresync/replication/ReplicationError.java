package io.mysqlresync.replication;

/** Last_IO_Errno/Last_IO_Error or Last_SQL_Errno/Last_SQL_Error; code 0 means no error. */
public record ReplicationError(int code, String message, String timestamp) {
    public static final ReplicationError NONE = new ReplicationError(0, "", "");

    public ReplicationError {
        message = message == null ? "" : message;
        timestamp = timestamp == null ? "" : timestamp;
    }

    public boolean present() {
        return code != 0 || !message.isBlank();
    }
}

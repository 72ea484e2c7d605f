package io.mysqlresync.verify;

/** A check that could not finish, with the reason it leaves the table inconclusive and what to do about it. */
public class VerifyException extends RuntimeException {

    private final InconclusiveReason reason;

    public VerifyException(InconclusiveReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VerifyException(InconclusiveReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public InconclusiveReason reason() {
        return reason;
    }
}

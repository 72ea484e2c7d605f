package io.mysqlresync.config;

/** A credential. Its toString never shows the value, so it cannot leak into logs or Slack by accident. */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = value == null ? "" : value;
    }

    /** The only way to read the value: grep for it to audit every use. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "****";
    }
}

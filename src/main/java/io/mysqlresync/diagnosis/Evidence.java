package io.mysqlresync.diagnosis;

/** One field that proves a finding, named as the node's own server prints it. */
public record Evidence(String field, String value) {
    public Evidence {
        value = value == null ? "NULL" : value;
    }

    @Override
    public String toString() {
        return field + ": " + value;
    }
}

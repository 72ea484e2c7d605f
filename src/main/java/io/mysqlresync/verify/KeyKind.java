package io.mysqlresync.verify;

/** What the chunks of a table are cut along. */
public enum KeyKind {
    PRIMARY,
    /** A unique key whose columns are all NOT NULL: as good as a primary key for ranges. */
    UNIQUE_NOT_NULL,
    /** No usable key: the table is compared whole and differing rows cannot be named. */
    NONE
}

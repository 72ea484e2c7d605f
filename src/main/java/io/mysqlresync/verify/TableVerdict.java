package io.mysqlresync.verify;

public enum TableVerdict {
    IDENTICAL,
    DIFFERS,
    /** Not known: never to be read as identical. */
    INCONCLUSIVE
}

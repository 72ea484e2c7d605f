package io.mysqlresync.replication;

import java.util.regex.Pattern;

/**
 * A position in a binary (or relay) log. Validated on construction because these values end
 * up inside SQL statements: a file name is a base name plus a numeric extension, a position
 * is a non-negative number.
 */
public record BinlogCoordinates(String file, long position) implements Comparable<BinlogCoordinates> {

    /** e.g. mysql-bin.000253, relay-bin.000198, node1-bin.000001; no quotes, slashes or spaces. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}\\.[0-9]{1,10}");

    /** Every binlog starts with a 4-byte magic number, so the first event is at position 4. */
    public static final long FIRST_EVENT_POSITION = 4;

    public BinlogCoordinates {
        if (!isValidFileName(file)) {
            throw new IllegalArgumentException("Not a binlog file name: '" + file + "'");
        }
        if (position < 0) {
            throw new IllegalArgumentException("Negative binlog position " + position + " in " + file);
        }
    }

    public static boolean isValidFileName(String file) {
        return file != null && FILE_NAME.matcher(file).matches();
    }

    /** The numeric extension: binlog files are ordered by it, not by name. */
    public long fileSequence() {
        return sequenceOf(file);
    }

    public static long sequenceOf(String file) {
        return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
    }

    public static String baseNameOf(String file) {
        return file.substring(0, file.lastIndexOf('.'));
    }

    @Override
    public int compareTo(BinlogCoordinates o) {
        int c = Long.compare(fileSequence(), o.fileSequence());
        return c != 0 ? c : Long.compare(position, o.position);
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}

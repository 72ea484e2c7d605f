package io.mysqlresync.repair;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SQL text for people to read: identifiers quoted as the catalog spells them, values as
 * literals. Execution never runs this text; it binds the values as parameters.
 */
public final class SqlText {

    private static final Set<String> NUMERIC = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint",
            "decimal", "numeric", "float", "double", "real", "year", "bit");
    private static final Set<String> BINARY = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob", "bit", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
            "multipolygon", "geometrycollection");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]*");
    /** How a verification keeps a long value: its first characters and its length (RowDifference). */
    private static final Pattern CUT = Pattern.compile("(?s)(.*)…\\((\\d+) chars\\)");

    private SqlText() {
    }

    /** `name` with inner backticks doubled: how MySQL and MariaDB quote an identifier. */
    public static String identifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * A value as a literal: NULL; a number bare for numeric columns; 0x-hex for binary columns (the
     * verifier's canonical text for them); else a quoted string, quotes doubled and backslashes and
     * control characters escaped as the default sql_mode reads them (not NO_BACKSLASH_ESCAPES).
     */
    public static String literal(String value, String dataType) {
        if (value == null) {
            return "NULL";
        }
        java.util.regex.Matcher cut = CUT.matcher(value);
        if (cut.matches()) {
            // Shown cut, applied whole: execution binds the value read from the source at that moment.
            return literal(cut.group(1), dataType) + " /* first characters of " + cut.group(2)
                    + ", applied in full */";
        }
        String type = dataType == null ? "" : dataType.toLowerCase(java.util.Locale.ROOT);
        if (BINARY.contains(type) && HEX.matcher(value).matches()) {
            return value.length() == 2 ? "''" : value;
        }
        if (NUMERIC.contains(type) && NUMBER.matcher(value).matches()) {
            return value;
        }
        StringBuilder sb = new StringBuilder("'");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\'' -> sb.append("''");
                case '\\' -> sb.append("\\\\");
                case '\0' -> sb.append("\\0");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\u001a' -> sb.append("\\Z");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    static String where(List<String> keyColumns, List<String> key, Map<String, String> types) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keyColumns.size(); i++) {
            if (i > 0) sb.append(" AND ");
            sb.append(identifier(keyColumns.get(i))).append(" = ").append(literal(key.get(i), types.get(keyColumns.get(i))));
        }
        return sb.toString();
    }
}

package io.mysqlresync.mysql;

import io.mysqlresync.verify.TableShape;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A table as information_schema describes it: the core's shape, plus what only SQL needs: the
 * index the chunks walk, each column's DATA_TYPE (to bind key values and to read binary values
 * as hex), the columns that may be NULL, and whether the text columns share one collation (else
 * each is cast to bytes, or joining them would fail with "Illegal mix of collations").
 */
record CatalogTable(TableShape shape, String indexName, Map<String, String> dataTypes, Set<String> nullable,
                    boolean oneCollation) {

    CatalogTable {
        nullable = Set.copyOf(nullable);
    }

    private static final Set<String> BINARY = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob", "bit", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
            "multipolygon", "geometrycollection");
    private static final Set<String> INTEGER = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint",
            "decimal", "numeric", "year");

    /** Types whose text is digits, signs, points, dashes, colons, spaces and 'e': never the separator '#'. */
    private static final Set<String> NO_SEPARATOR = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint", "decimal", "numeric", "year", "float", "double", "real", "date", "time", "datetime", "timestamp");

    String type(String column) {
        return dataTypes.getOrDefault(column, "").toLowerCase(Locale.ROOT);
    }

    static boolean isBinary(String dataType) {
        return BINARY.contains(dataType);
    }

    /** A value of this type never contains '#': it needs no length before it to be told from its neighbours. */
    static boolean neverHoldsSeparator(String dataType) {
        return NO_SEPARATOR.contains(dataType);
    }

    /** Whole numbers only: the types a key can be cut by value along ({@code DIV} on them is exact). */
    private static final Set<String> WHOLE = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");

    static boolean isWholeNumber(String dataType) {
        return WHOLE.contains(dataType);
    }

    boolean mayBeNull(String column) {
        return nullable.contains(column);
    }

    static boolean isExactNumber(String dataType) {
        return INTEGER.contains(dataType);
    }
}

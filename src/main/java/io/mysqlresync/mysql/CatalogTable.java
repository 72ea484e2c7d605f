package io.mysqlresync.mysql;

import io.mysqlresync.verify.TableShape;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A table as information_schema describes it: the core's shape, plus what only SQL needs: the
 * index the chunks walk and each column's DATA_TYPE (to bind key values and to read binary
 * values as hex).
 */
record CatalogTable(TableShape shape, String indexName, Map<String, String> dataTypes) {

    private static final Set<String> BINARY = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob", "bit", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
            "multipolygon", "geometrycollection");
    private static final Set<String> INTEGER = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint",
            "decimal", "numeric", "year");

    String type(String column) {
        return dataTypes.getOrDefault(column, "").toLowerCase(Locale.ROOT);
    }

    static boolean isBinary(String dataType) {
        return BINARY.contains(dataType);
    }

    static boolean isExactNumber(String dataType) {
        return INTEGER.contains(dataType);
    }
}

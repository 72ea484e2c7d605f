package io.mysqlresync.mysql;

import io.mysqlresync.verify.InconclusiveReason;
import io.mysqlresync.verify.KeyKind;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.TableShape;
import io.mysqlresync.verify.VerifyException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one node's information_schema shows the bot: base tables outside the excluded schemas,
 * their columns and the key each is chunked along (the primary key, else the narrowest unique
 * key whose columns are all NOT NULL). The catalog only lists what the bot has some privilege on.
 */
final class VerifyCatalog {

    final Map<TableRef, CatalogTable> tables;
    /** Schemas visible to the bot (SCHEMATA lists only those it has a privilege on, unless SHOW DATABASES). */
    final Set<String> schemas;
    /** Whether the bot can see every schema: global SELECT or SHOW DATABASES. */
    final boolean seesEverything;
    /** Whether the bot may SELECT every table (global SELECT), and the schemas where it may (schema-level SELECT). */
    private final boolean selectsEverything;
    private final Set<String> selectableSchemas;

    private VerifyCatalog(Map<TableRef, CatalogTable> tables, Set<String> schemas, boolean seesEverything,
                          boolean selectsEverything, Set<String> selectableSchemas) {
        this.tables = tables;
        this.schemas = schemas;
        this.seesEverything = seesEverything;
        this.selectsEverything = selectsEverything;
        this.selectableSchemas = selectableSchemas;
    }

    /**
     * Whether a table of {@code schema} missing from this catalog is really missing. Without
     * SELECT on the whole schema the catalog hides tables the bot has no privilege on, and a
     * missing table and a forbidden one look the same.
     */
    boolean wouldShowEveryTableOf(String schema) {
        return selectsEverything || selectableSchemas.contains(schema);
    }

    /** Whether a schema missing from this catalog is really missing (the bot may list every schema). */
    boolean wouldShowSchema(String schema) {
        return seesEverything || schemas.contains(schema);
    }

    static VerifyCatalog read(VerifySession s, List<String> excludedSchemas) {
        String notIn = excludedSchemas.isEmpty() ? "" : " AND TABLE_SCHEMA NOT IN ("
                + String.join(", ", Collections.nCopies(excludedSchemas.size(), "?")) + ")";
        List<ChunkChecksums.KeyParam> excluded = excludedSchemas.stream()
                .map(x -> new ChunkChecksums.KeyParam(x, "varchar")).toList();
        Set<String> schemas = new TreeSet<>();
        for (List<String> r : s.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA", "reading the catalog")) {
            schemas.add(r.get(0));
        }
        List<String> globalPrivileges = s.query("SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES",
                "reading its privileges").stream().map(r -> r.get(0)).toList();
        boolean global = globalPrivileges.contains("SELECT") || globalPrivileges.contains("SHOW DATABASES");
        Set<String> selectable = new TreeSet<>();
        for (List<String> r : s.query("SELECT TABLE_SCHEMA FROM information_schema.SCHEMA_PRIVILEGES"
                + " WHERE PRIVILEGE_TYPE = 'SELECT'", "reading its privileges")) {
            // A grant on a pattern (shop\_%) is stored as the pattern: escaped underscores read back plainly.
            selectable.add(r.get(0).replace("\\_", "_"));
        }

        Map<TableRef, Long> estimates = new TreeMap<>();
        for (List<String> r : s.query("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES"
                + " WHERE TABLE_TYPE = 'BASE TABLE'" + notIn, excluded, null, "reading the catalog")) {
            estimates.put(new TableRef(r.get(0), r.get(1)), r.get(2) == null ? 0 : Long.parseLong(r.get(2)));
        }
        Map<TableRef, List<String>> columns = new LinkedHashMap<>();
        Map<TableRef, Map<String, String>> types = new LinkedHashMap<>();
        Map<TableRef, Set<String>> nullable = new LinkedHashMap<>();
        Map<TableRef, Set<String>> collations = new LinkedHashMap<>();
        for (List<String> r : s.query("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE, COLLATION_NAME"
                + " FROM information_schema.COLUMNS WHERE 1 = 1" + notIn
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION", excluded, null, "reading the catalog")) {
            TableRef t = new TableRef(r.get(0), r.get(1));
            columns.computeIfAbsent(t, k -> new ArrayList<>()).add(r.get(2));
            types.computeIfAbsent(t, k -> new LinkedHashMap<>()).put(r.get(2), r.get(3).toLowerCase(Locale.ROOT));
            if ("YES".equals(r.get(4))) {
                nullable.computeIfAbsent(t, k -> new TreeSet<>()).add(r.get(2));
            }
            if (r.get(5) != null) {
                collations.computeIfAbsent(t, k -> new TreeSet<>()).add(r.get(5));
            }
        }
        // index name -> columns in order, per table; only unique indexes
        Map<TableRef, Map<String, List<String>>> unique = new LinkedHashMap<>();
        for (List<String> r : s.query("SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, COLUMN_NAME"
                + " FROM information_schema.STATISTICS WHERE NON_UNIQUE = 0" + notIn
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", excluded, null, "reading the catalog")) {
            unique.computeIfAbsent(new TableRef(r.get(0), r.get(1)), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.get(2), k -> new ArrayList<>()).add(r.get(3));
        }
        Map<TableRef, CatalogTable> tables = new TreeMap<>();
        for (Map.Entry<TableRef, Long> e : estimates.entrySet()) {
            TableRef t = e.getKey();
            List<String> cols = columns.getOrDefault(t, List.of());
            Set<String> nulls = nullable.getOrDefault(t, Set.of());
            Map<String, List<String>> idx = unique.getOrDefault(t, Map.of());
            String index = null;
            KeyKind kind = KeyKind.NONE;
            List<String> key = List.of();
            if (idx.containsKey("PRIMARY")) {
                index = "PRIMARY";
                kind = KeyKind.PRIMARY;
                key = idx.get("PRIMARY");
            } else {
                for (Map.Entry<String, List<String>> i : idx.entrySet()) {
                    boolean notNull = i.getValue().stream().noneMatch(nulls::contains);
                    if (notNull && (index == null || i.getValue().size() < key.size())) {
                        index = i.getKey();
                        kind = KeyKind.UNIQUE_NOT_NULL;
                        key = i.getValue();
                    }
                }
            }
            tables.put(t, new CatalogTable(new TableShape(t, cols, kind, key, e.getValue()), index,
                    types.getOrDefault(t, Map.of()), nulls, collations.getOrDefault(t, Set.of()).size() <= 1));
        }
        return new VerifyCatalog(tables, schemas, global, globalPrivileges.contains("SELECT"), selectable);
    }

    /** The user's "schema" or "schema.table" as the catalog spells it; null when the catalog does not show it. */
    static List<TableRef> match(String filter, Set<TableRef> known) {
        int dot = filter.indexOf('.');
        String schema = dot < 0 ? filter : filter.substring(0, dot);
        String table = dot < 0 ? null : filter.substring(dot + 1);
        List<TableRef> out = new ArrayList<>();
        for (TableRef t : known) {
            if (t.schema().equals(schema) && (table == null || t.table().equals(table))) {
                out.add(t);
            }
        }
        return out;
    }

    static VerifyException missingGrant(String node, String account, String schema, String why) {
        return new VerifyException(InconclusiveReason.MISSING_PRIVILEGE, why + " on " + node + ": GRANT SELECT ON "
                + ChunkChecksums.quote(schema) + ".* TO " + account + ";");
    }
}

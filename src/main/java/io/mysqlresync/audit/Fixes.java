package io.mysqlresync.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that spells a settings change per flavor: SET PERSIST on MySQL 8 (SET PERSIST_ONLY
 * when the variable is read-only at runtime, applied at the next restart); SET GLOBAL plus the
 * my.cnf line on MariaDB and MySQL 5.7, which have no persisted variables.
 */
final class Fixes {

    private Fixes() {
    }

    /** One variable; {@code dynamic} says whether the server accepts it while running. */
    static Fix set(NodeSettings node, boolean dynamic, String name, String value) {
        Map<String, String> one = new LinkedHashMap<>();
        one.put(name, value);
        return set(node, dynamic, one);
    }

    /** Several variables changed together, in order. */
    static Fix set(NodeSettings node, boolean dynamic, Map<String, String> values) {
        List<String> sql = new ArrayList<>();
        StringBuilder cnf = new StringBuilder("[mysqld]");
        values.forEach((name, value) -> {
            if (node.isMySql8()) {
                sql.add((dynamic ? "SET PERSIST " : "SET PERSIST_ONLY ") + name + " = " + value);
            } else {
                if (dynamic) {
                    sql.add("SET GLOBAL " + name + " = " + value);
                }
                cnf.append('\n').append(name).append(" = ").append(value);
            }
        });
        return new Fix(sql, node.isMySql8() ? "" : cnf.toString(), "", !dynamic);
    }

    /** The same change, run with the replica's threads (or one of them) stopped, as some variables require. */
    static Fix aroundStoppedReplica(Fix fix, String stop, String start) {
        if (fix.sql().isEmpty()) {
            return fix;
        }
        List<String> sql = new ArrayList<>();
        sql.add(stop);
        sql.addAll(fix.sql());
        sql.add(start);
        return new Fix(sql, fix.myCnf(), fix.manualStep(), fix.restartNeeded());
    }
}

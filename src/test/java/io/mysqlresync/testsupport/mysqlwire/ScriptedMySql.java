package io.mysqlresync.testsupport.mysqlwire;

import io.mysqlresync.testsupport.mysqlwire.MySqlWireServer.Answer;
import io.mysqlresync.testsupport.mysqlwire.MySqlWireServer.Error;
import io.mysqlresync.testsupport.mysqlwire.MySqlWireServer.Ok;
import io.mysqlresync.testsupport.mysqlwire.MySqlWireServer.Rows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MySQL server as the bot's reader sees it, played over the real wire protocol by
 * {@link MySqlWireServer}: one node's variables, binlogs, replication channels and applier
 * workers, answered as the chosen {@link MySqlVersion} would. A statement it does not know gets
 * a 1064, like a statement the version removed, so a test sees any statement the reader sends
 * that this stand-in was not taught.
 *
 * <p>Channel rows are given by column name in either 5.7 (Master_*) or 8.0 (Source_*) words; the
 * stand-in prints each version's full column set in its order, filling the rest with the
 * server's idle values.
 */
public final class ScriptedMySql implements AutoCloseable {

    /** ER_PARSE_ERROR's text (share/messages_to_clients.txt: ER_SYNTAX_ERROR + "near '%-.80s' at line %d"). */
    static final String PARSE_ERROR = "You have an error in your SQL syntax; check the manual that corresponds "
            + "to your MySQL server version for the right syntax to use near '%s' at line 1";

    private final MySqlVersion version;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Map<String, String> status = new LinkedHashMap<>();
    private final List<String[]> binlogs = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> channels = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> workers = new CopyOnWriteArrayList<>();
    private final Map<Pattern, Error> failures = new LinkedHashMap<>();
    private final MySqlWireServer server;

    private ScriptedMySql(MySqlVersion version, long serverId) throws IOException {
        this.version = version;
        variables.put("version", version.version);
        variables.put("version_comment", version.comment);
        variables.put("server_id", Long.toString(serverId));
        variables.put("read_only", "0");
        variables.put("gtid_mode", "OFF");
        variables.put("gtid_executed", "");
        variables.put("auto_increment_increment", "1");
        variables.put("character_set_client", "utf8mb4");
        variables.put("character_set_connection", "utf8mb4");
        variables.put("character_set_results", "utf8mb4");
        variables.put("character_set_server", version == MySqlVersion.MYSQL_5_7 ? "latin1" : "utf8mb4");
        variables.put("collation_server", version == MySqlVersion.MYSQL_5_7 ? "latin1_swedish_ci" : "utf8mb4_0900_ai_ci");
        variables.put("collation_connection", "utf8mb4_general_ci");
        variables.put("init_connect", "");
        variables.put("interactive_timeout", "28800");
        variables.put("license", "GPL");
        variables.put("lower_case_table_names", "0");
        variables.put("max_allowed_packet", "67108864");
        variables.put("net_write_timeout", "60");
        variables.put("performance_schema", "1");
        variables.put("sql_mode", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION");
        variables.put("system_time_zone", "UTC");
        variables.put("time_zone", "SYSTEM");
        variables.put("transaction_isolation", "REPEATABLE-READ");
        variables.put("tx_isolation", "REPEATABLE-READ");
        variables.put("wait_timeout", "28800");
        variables.put("query_cache_size", "1048576");
        variables.put("query_cache_type", "OFF");
        variables.put("autocommit", "1");
        variables.put("transaction_read_only", "0");
        if (version == MySqlVersion.MYSQL_5_7) {
            variables.put("slave_parallel_workers", "0");
            variables.put("slave_preserve_commit_order", "0");
        } else {
            // 8.0.27 made the multithreaded applier, with commit order, the default.
            variables.put("replica_parallel_workers", "4");
            variables.put("replica_preserve_commit_order", "1");
            variables.put("slave_parallel_workers", "4");
            variables.put("slave_preserve_commit_order", "1");
        }
        status.put("Uptime", "86400");
        this.server = new MySqlWireServer(version.version, version.authPlugin, version.collation, this::answer);
    }

    public static ScriptedMySql start(MySqlVersion version, long serverId) throws IOException {
        return new ScriptedMySql(version, serverId);
    }

    public int port() {
        return server.port();
    }

    public MySqlVersion version() {
        return version;
    }

    public List<String> statements() {
        return server.statements();
    }

    /** The user names clients logged in with. */
    public List<String> users() {
        return server.users();
    }

    /** The statements the bot's reader sent: everything but the driver's own connection set-up. */
    public List<String> readerStatements() {
        return statements().stream().filter(s -> !s.startsWith("/* mysql-connector-j") && !s.startsWith("SET ")
                && !s.startsWith("SELECT @@session.")).toList();
    }


    public ScriptedMySql set(String variable, String value) {
        variables.put(variable, value);
        return this;
    }

    public ScriptedMySql uptime(long seconds) {
        status.put("Uptime", Long.toString(seconds));
        return this;
    }

    public ScriptedMySql gtid(String executed) {
        variables.put("gtid_mode", "ON");
        variables.put("gtid_executed", executed);
        return this;
    }

    public ScriptedMySql binlog(String name, long size) {
        binlogs.add(new String[] {name, Long.toString(size)});
        return this;
    }

    /** A replication channel, from "Column: value" lines in either version's words. */
    public ScriptedMySql channel(String... lines) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String value = line.substring(colon + 1).trim();
            given.put(toEightO(line.substring(0, colon).trim()), value.equals("NULL") ? null : value);
        }
        channels.add(given);
        return this;
    }

    /** One row of performance_schema.replication_applier_status_by_worker, by column name. */
    public ScriptedMySql worker(String... lines) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            row.put(line.substring(0, colon).trim().toUpperCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        workers.add(row);
        return this;
    }

    /** Statements matching {@code regex} fail with this error (e.g. a missing grant). */
    public ScriptedMySql failing(String regex, int code, String sqlState, String message) {
        failures.put(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL), new Error(code, sqlState, message));
        return this;
    }

    /** Drops the open connections, as a restart would. */
    public void dropConnections() {
        server.dropConnections();
    }

    // --- answering ---------------------------------------------------------------------------

    private static final Pattern LEADING_COMMENT = Pattern.compile("^\\s*/\\*.*?\\*/\\s*", Pattern.DOTALL);
    private static final Pattern SELECT_VARIABLES = Pattern.compile("^SELECT\\s+(@@.*)$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern VARIABLE_ITEM = Pattern.compile(
            "^@@(?:(?:session|global|local)\\.)?([A-Za-z0-9_]+)(?:\\s+AS\\s+(\\S+))?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SHOW_STATUS = Pattern.compile(
            "^SHOW\\s+(?:GLOBAL\\s+|SESSION\\s+)?STATUS\\s+LIKE\\s+'([^']*)'$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SHOW_VARIABLES = Pattern.compile(
            "^SHOW\\s+(?:GLOBAL\\s+|SESSION\\s+)?VARIABLES(?:\\s+LIKE\\s+'([^']*)')?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SHOW_REPLICA_STATUS = Pattern.compile(
            "^SHOW\\s+(?:REPLICA|SLAVE)\\s+STATUS(?:\\s+FOR\\s+CHANNEL\\s+'([^']*)')?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern WORKER_QUERY = Pattern.compile(
            "^SELECT\\s+(.+?)\\s+FROM\\s+performance_schema\\.replication_applier_status_by_worker"
                    + "(?:\\s+WHERE\\s+(.+?))?(?:\\s+ORDER\\s+BY\\s+(\\w+)(\\s+DESC|\\s+ASC)?)?(?:\\s+LIMIT\\s+(\\d+))?$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern WRITE_STATEMENT = Pattern.compile(
            "^(?:SET|START|STOP|CHANGE|BEGIN|COMMIT|ROLLBACK|FLUSH|RESET)\\b.*$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    Answer answer(String received) {
        String sql = LEADING_COMMENT.matcher(received).replaceFirst("").trim();
        if (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1).trim();
        for (Map.Entry<Pattern, Error> f : failures.entrySet()) {
            if (f.getKey().matcher(sql).find()) return f.getValue();
        }
        Matcher removed = version.removedForm().matcher(sql);
        if (removed.matches()) {
            String near = null;
            for (int g = 1; g <= removed.groupCount() && near == null; g++) near = removed.group(g);
            return parseError(near);
        }
        Matcher m;
        if ((m = SELECT_VARIABLES.matcher(sql)).matches()) return selectVariables(m.group(1));
        if ((m = SHOW_STATUS.matcher(sql)).matches()) {
            String v = status.get(m.group(1));
            return new Rows(List.of("Variable_name", "Value"), v == null ? List.of() : List.of(List.of(m.group(1), v)));
        }
        if ((m = SHOW_VARIABLES.matcher(sql)).matches()) {
            List<List<String>> rows = new ArrayList<>();
            String like = m.group(1);
            variables.forEach((k, v) -> {
                if (like == null || k.equalsIgnoreCase(like)) rows.add(List.of(k, v));
            });
            return new Rows(List.of("Variable_name", "Value"), rows);
        }
        if (sql.matches("(?i)^SHOW\\s+(?:BINARY|MASTER)\\s+LOGS$")) return binaryLogs();
        if (sql.matches("(?i)^SHOW\\s+(?:MASTER|BINARY\\s+LOG)\\s+STATUS$")) return binlogHead();
        if ((m = SHOW_REPLICA_STATUS.matcher(sql)).matches()) return replicaStatus(m.group(1));
        if ((m = WORKER_QUERY.matcher(sql)).matches()) {
            return workers(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
        }
        if (WRITE_STATEMENT.matcher(sql).matches()) return new Ok(0);
        return parseError(sql);
    }

    private static Error parseError(String near) {
        String clipped = near.length() > 80 ? near.substring(0, 80) : near;
        return new Error(1064, "42000", String.format(PARSE_ERROR, clipped));
    }

    private Answer selectVariables(String list) {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String item : list.split(",")) {
            Matcher m = VARIABLE_ITEM.matcher(item.trim());
            if (!m.matches()) return parseError(item.trim());
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (!variables.containsKey(name)) {
                return new Error(1193, "HY000", "Unknown system variable '" + name + "'");
            }
            columns.add(m.group(2) != null ? m.group(2) : item.trim());
            values.add(variables.get(name));
        }
        return new Rows(columns, List.of(values));
    }

    private Answer binaryLogs() {
        if (binlogs.isEmpty()) {
            return new Error(1381, "HY000", "You are not using binary logging");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String[] b : binlogs) {
            rows.add(version == MySqlVersion.MYSQL_5_7 ? List.of(b[0], b[1]) : List.of(b[0], b[1], "No"));
        }
        return new Rows(version.binaryLogColumns(), rows);
    }

    private Answer binlogHead() {
        List<String> columns = List.of("File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB", "Executed_Gtid_Set");
        if (binlogs.isEmpty()) return new Rows(columns, List.of());
        String[] last = binlogs.get(binlogs.size() - 1);
        return new Rows(columns, List.of(List.of(last[0], last[1], "", "", variables.get("gtid_executed"))));
    }

    private Answer replicaStatus(String channel) {
        List<String> columns = version.replicaStatusColumns();
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, String> given : channels) {
            String name = given.getOrDefault("Channel_Name", "");
            if (channel != null && !channel.equals(name)) continue;
            List<String> row = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String eightO = MySqlVersion.REPLICA_STATUS_80.get(i);
                row.add(given.containsKey(eightO) ? given.get(eightO) : idleValue(eightO, given));
            }
            rows.add(row);
        }
        if (channel != null && rows.isEmpty()) {
            return new Error(3074, "HY000", "There is no replication channel named '" + channel + "'.");
        }
        return new Rows(columns, rows);
    }

    /** What an idle field shows; Last_Errno/Last_Error are aliases of the SQL thread's error. */
    private static String idleValue(String column, Map<String, String> given) {
        return switch (column) {
            case "Last_Errno" -> given.getOrDefault("Last_SQL_Errno", "0");
            case "Last_Error" -> given.getOrDefault("Last_SQL_Error", "");
            case "Source_Port" -> "3306";
            case "Connect_Retry" -> "60";
            case "Skip_Counter", "Relay_Log_Space", "Until_Log_Pos", "Last_IO_Errno", "Last_SQL_Errno",
                 "SQL_Delay", "Auto_Position", "Get_Source_public_key", "Source_Server_Id" -> "0";
            case "Until_Condition" -> "None";
            case "Source_SSL_Allowed", "Source_SSL_Verify_Server_Cert" -> "No";
            case "Seconds_Behind_Source", "SQL_Remaining_Delay" -> null;
            case "Source_Retry_Count" -> "86400";
            case "Source_Info_File" -> "mysql.slave_master_info";
            default -> "";
        };
    }

    private Answer workers(String select, String where, String orderBy, String direction, String limit) {
        List<String> known = version.workerColumns();
        List<String> columns = new ArrayList<>();
        for (String c : select.split(",")) {
            String col = c.trim().toUpperCase(Locale.ROOT);
            if (!known.contains(col)) {
                return new Error(1054, "42S22", "Unknown column '" + c.trim() + "' in 'field list'");
            }
            columns.add(col);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> w : workers) {
            if (where == null || matches(w, where)) rows.add(w);
        }
        if (orderBy != null) {
            Comparator<Map<String, String>> byColumn = Comparator.comparing(w -> w.getOrDefault(orderBy.toUpperCase(Locale.ROOT), ""));
            rows.sort(direction != null && direction.trim().equalsIgnoreCase("DESC") ? byColumn.reversed() : byColumn);
        }
        if (limit != null) rows = rows.subList(0, Math.min(rows.size(), Integer.parseInt(limit)));
        List<List<String>> out = new ArrayList<>();
        for (Map<String, String> w : rows) {
            List<String> r = new ArrayList<>();
            for (String c : columns) r.add(w.getOrDefault(c, ""));
            out.add(r);
        }
        return new Rows(columns, out);
    }

    private static final Pattern CONDITION = Pattern.compile("^(\\w+)\\s*(=|<>|!=)\\s*('([^']*)'|\\d+)$");

    private static boolean matches(Map<String, String> row, String where) {
        for (String cond : where.split("(?i)\\s+AND\\s+")) {
            Matcher m = CONDITION.matcher(cond.trim());
            if (!m.matches()) throw new IllegalArgumentException("stand-in cannot evaluate WHERE " + cond);
            String value = row.getOrDefault(m.group(1).toUpperCase(Locale.ROOT), "");
            String wanted = m.group(4) != null ? m.group(4) : m.group(3);
            boolean equal = value.equals(wanted);
            if (m.group(2).equals("=") != equal) return false;
        }
        return true;
    }

    /** 5.7 column names to 8.0's, by position in the two column lists. */
    private static String toEightO(String column) {
        int i = MySqlVersion.SLAVE_STATUS_57.indexOf(column);
        return i < 0 ? column : MySqlVersion.REPLICA_STATUS_80.get(i);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

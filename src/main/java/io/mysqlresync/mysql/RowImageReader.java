package io.mysqlresync.mysql;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.network.ServerException;

import io.mysqlresync.replication.BinlogCoordinates;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Streams one node's own binlog over the replication protocol (as a replica would, which needs
 * REPLICATION SLAVE) from just before the gap, and hands each event of the gap's transactions,
 * with its row images, to a {@link LedgerTransactions}. Stops once every transaction of the gap
 * has been read, at the node's binlog head as it was when the read began, or at the deadline.
 */
final class RowImageReader {

    /**
     * The primary key columns of a table: names, their 0-based positions in the row image, and
     * their COLUMN_TYPE from information_schema ("bigint(20) unsigned", "varbinary(16)"; "" when
     * unknown), so that a key is written the way the verifier reads the same row.
     */
    record PrimaryKey(List<String> names, List<Integer> positions, List<String> columnTypes) {
        static final PrimaryKey UNKNOWN = new PrimaryKey(List.of(), List.of(), List.of());

        PrimaryKey {
            names = List.copyOf(names);
            positions = List.copyOf(positions);
            columnTypes = List.copyOf(columnTypes);
        }

        String type(int i) {
            return i < columnTypes.size() ? columnTypes.get(i) : "";
        }
    }

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Duration deadline;

    RowImageReader(String host, int port, String user, String password, Duration deadline) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.deadline = deadline;
    }

    /**
     * @param startAfter the replica's connect state: MariaDB GTID position or MySQL GTID set to
     *                   start after (the server sends what is not in it)
     * @param head       the node's binlog head (SHOW MASTER STATUS) read just before
     * @param keys       finds a table's primary key when the binlog's table map does not carry it
     * @return null when the stream read every transaction, or all the node has; else why not (the server's error)
     */
    IOException read(String startAfter, BinlogCoordinates head, LedgerTransactions into,
                     BiFunction<String, TableMapEventData, PrimaryKey> keys) throws InterruptedException {
        BinaryLogClient client = new BinaryLogClient(host, port, user, password);
        // A replica id no real replica uses: a second connection with a used id would make the
        // server drop the real replica's dump thread.
        client.setServerId(4_000_000_000L + ThreadLocalRandom.current().nextLong(200_000_000L));
        client.setKeepAlive(false);
        client.setConnectTimeout(deadline.toMillis());
        client.setGtidSet(startAfter);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Map<Long, TableMapEventData> tables = new HashMap<>();
        Map<Long, PrimaryKey> tableKeys = new HashMap<>();
        AtomicReference<String> file = new AtomicReference<>("");
        AtomicReference<Boolean> reachedHead = new AtomicReference<>(false);
        client.registerEventListener(event -> {
            try {
                onEvent(event, into, tables, tableKeys, keys);
                EventHeaderV4 header = event.getHeader();
                if (header.getEventType() == EventType.ROTATE) {
                    file.set(((RotateEventData) event.getData()).getBinlogFilename());
                } else if (head != null && head.file().equals(file.get()) && header.getNextPosition() >= head.position()) {
                    // Everything the node had logged when the read began: what is not here, it does not have.
                    into.commit();
                    reachedHead.set(true);
                    finished.countDown();
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, new IOException("could not decode an event: " + e, e));
                finished.countDown();
            }
            if (into.complete()) finished.countDown();
        });
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                failure.compareAndSet(null, ex instanceof IOException io ? io : new IOException(ex));
                finished.countDown();
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
                failure.compareAndSet(null, new IOException("could not decode an event: " + ex.getMessage(), ex));
                finished.countDown();
            }

            @Override
            public void onDisconnect(BinaryLogClient c) {
                finished.countDown();
            }
        });
        boolean inTime = stream(client, finished, "ledger-binlog-",
                e -> failure.compareAndSet(null, e instanceof IOException io ? io : new IOException(e)));
        if (into.complete() || reachedHead.get()) return null;
        if (failure.get() != null) return failure.get();
        return new IOException(inTime ? "the binlog stream ended before every transaction was read"
                : "not every transaction was read within " + deadline.toSeconds() + " s");
    }

    /**
     * When the node created binlog {@code file}: the header time of its Format_description event.
     * Empty when it cannot be read (no REPLICATION SLAVE, file purged).
     */
    Optional<Instant> fileCreatedAt(String file) throws InterruptedException {
        BinaryLogClient client = new BinaryLogClient(host, port, user, password);
        client.setServerId(4_000_000_000L + ThreadLocalRandom.current().nextLong(200_000_000L));
        client.setKeepAlive(false);
        client.setConnectTimeout(deadline.toMillis());
        client.setBinlogFilename(file);
        client.setBinlogPosition(4);
        AtomicReference<Instant> created = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        client.registerEventListener(event -> {
            EventHeaderV4 header = event.getHeader();
            if (header.getEventType() == EventType.FORMAT_DESCRIPTION && header.getTimestamp() > 0) {
                created.compareAndSet(null, Instant.ofEpochMilli(header.getTimestamp()));
                finished.countDown();
            }
        });
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                finished.countDown();
            }

            @Override
            public void onDisconnect(BinaryLogClient c) {
                finished.countDown();
            }
        });
        // A failure reads as "unknown": the caller falls back to the node's current position.
        stream(client, finished, "ledger-binlog-start-", e -> { });
        return Optional.ofNullable(created.get());
    }

    /**
     * Connects {@code client} on a worker thread (connect blocks while it streams), waits until
     * {@code finished} or the deadline, then drops the stream. True when finished in time.
     */
    private boolean stream(BinaryLogClient client, CountDownLatch finished, String name,
                           java.util.function.Consumer<Exception> onFailure) throws InterruptedException {
        client.setEventDeserializer(deserializer());
        Thread worker = new Thread(() -> {
            try {
                client.connect();
            } catch (IOException | RuntimeException e) {
                onFailure.accept(e);
            } finally {
                finished.countDown();
            }
        }, name + host + ":" + port);
        worker.setDaemon(true);
        worker.start();
        boolean inTime = finished.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            client.disconnect();
        } catch (IOException ignored) {
            // the stream is dropped either way
        }
        worker.join(2_000);
        return inTime;
    }

    /** CHAR and BINARY values as the bytes logged: decoded by the library, a binary key would not survive. */
    private static EventDeserializer deserializer() {
        EventDeserializer d = new EventDeserializer();
        d.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        return d;
    }

    private static void onEvent(Event event, LedgerTransactions into, Map<Long, TableMapEventData> tables,
                                Map<Long, PrimaryKey> tableKeys, BiFunction<String, TableMapEventData, PrimaryKey> keys) {
        EventHeaderV4 header = event.getHeader();
        EventType type = header.getEventType();
        Instant at = Instant.ofEpochMilli(header.getTimestamp());
        if (type == EventType.MARIADB_GTID) {
            MariadbGtidEventData g = event.getData();
            into.gtid(g.getDomainId() + "-" + g.getServerId(), g.getSequence(), at);
        } else if (type == EventType.GTID) {
            GtidEventData g = event.getData();
            String[] parts = g.getGtid().split(":");
            into.gtid(parts[0].toLowerCase(Locale.ROOT), Long.parseLong(parts[parts.length - 1]), at);
        } else if (type == EventType.TABLE_MAP) {
            TableMapEventData t = event.getData();
            tables.put(t.getTableId(), t);
            String name = t.getDatabase() + "." + t.getTable();
            if (into.collecting()) {
                PrimaryKey pk = tableKeys.computeIfAbsent(t.getTableId(), id -> keys.apply(name, t));
                into.table(name, pk.names());
            }
        } else if (EventType.isRowMutation(type)) {
            if (!into.collecting()) return;
            long tableId;
            List<List<String>> rowKeys = new ArrayList<>();
            long rows;
            if (EventType.isWrite(type)) {
                WriteRowsEventData d = event.getData();
                tableId = d.getTableId();
                PrimaryKey pk = tableKeys.getOrDefault(tableId, PrimaryKey.UNKNOWN);
                d.getRows().forEach(r -> addKey(rowKeys, pk, d.getIncludedColumns(), r));
                rows = d.getRows().size();
            } else if (EventType.isUpdate(type)) {
                UpdateRowsEventData d = event.getData();
                tableId = d.getTableId();
                PrimaryKey pk = tableKeys.getOrDefault(tableId, PrimaryKey.UNKNOWN);
                for (Map.Entry<Serializable[], Serializable[]> r : d.getRows()) {
                    addKey(rowKeys, pk, d.getIncludedColumnsBeforeUpdate(), r.getKey());
                    // A key that changed puts two rows at risk: where it was and where it went.
                    List<List<String>> after = new ArrayList<>();
                    addKey(after, pk, d.getIncludedColumns(), r.getValue());
                    if (!after.isEmpty() && !rowKeys.isEmpty() && !after.get(0).equals(rowKeys.get(rowKeys.size() - 1))) {
                        rowKeys.addAll(after);
                    }
                }
                rows = d.getRows().size();
            } else {
                DeleteRowsEventData d = event.getData();
                tableId = d.getTableId();
                PrimaryKey pk = tableKeys.getOrDefault(tableId, PrimaryKey.UNKNOWN);
                d.getRows().forEach(r -> addKey(rowKeys, pk, d.getIncludedColumns(), r));
                rows = d.getRows().size();
            }
            TableMapEventData t = tables.get(tableId);
            PrimaryKey pk = tableKeys.getOrDefault(tableId, PrimaryKey.UNKNOWN);
            into.rows(t == null ? null : t.getDatabase() + "." + t.getTable(), rows,
                    pk.positions().isEmpty() ? List.of() : rowKeys);
        } else if (type == EventType.XID) {
            into.commit();
        } else if (type == EventType.QUERY) {
            QueryEventData q = event.getData();
            String sql = q.getSql() == null ? "" : q.getSql().trim().toUpperCase(Locale.ROOT);
            if (sql.equals("COMMIT") || sql.startsWith("XA COMMIT")) {
                into.commit();
            } else if (!sql.equals("BEGIN") && !sql.startsWith("XA ")) {
                into.statement();
            }
        }
    }

    /** The key columns of one row image; images without every key column (binlog_row_image=MINIMAL after) add none. */
    private static void addKey(List<List<String>> out, PrimaryKey pk, BitSet included, Serializable[] row) {
        if (pk.positions().isEmpty() || row == null) return;
        List<String> key = new ArrayList<>();
        for (int i = 0; i < pk.positions().size(); i++) {
            int position = pk.positions().get(i);
            if (included != null && !included.get(position)) return;
            // Row arrays hold only the included columns, in table order.
            int index = included == null ? position : included.get(0, position).cardinality();
            if (index >= row.length) return;
            key.add(text(row[index], pk.type(i)));
        }
        out.add(key);
    }

    /**
     * A key value as the verifier reads it from the server: binary as 0x-hex, unsigned integers
     * unsigned, DATETIME/TIMESTAMP/DATE as the server prints them (the verifier's session is in
     * UTC; the binlog library builds DATETIME and DATE as UTC instants too).
     */
    static String text(Serializable value, String columnType) {
        if (value == null) return "NULL";
        String type = columnType == null ? "" : columnType.toLowerCase(Locale.ROOT).trim();
        String dataType = type.replaceFirst("[(\\s].*$", "");
        if (CatalogTable.isBinary(dataType)) {
            byte[] b = value instanceof byte[] bytes ? bytes : value.toString().getBytes(StandardCharsets.UTF_8);
            return "0x" + HexFormat.of().formatHex(b);
        }
        if (value instanceof byte[] bytes) return new String(bytes, StandardCharsets.UTF_8);
        if (type.contains("unsigned") && value instanceof Number n && !(value instanceof BigDecimal)) {
            long v = n.longValue();
            int bits = switch (dataType) {
                case "tinyint" -> 8;
                case "smallint" -> 16;
                case "mediumint" -> 24;
                case "int", "integer" -> 32;
                default -> 64;
            };
            return v >= 0 ? Long.toString(v) : BigInteger.valueOf(v).add(BigInteger.ONE.shiftLeft(bits)).toString();
        }
        if (value instanceof java.util.Date d) {
            LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(d.getTime()), ZoneOffset.UTC);
            if (dataType.equals("date")) return t.toLocalDate().toString();
            if (dataType.equals("datetime") || dataType.equals("timestamp")) {
                String text = t.format(SECONDS);
                int digits = fractionDigits(type);
                if (digits == 0) return text;
                // The library keeps milliseconds: DATETIME(4..6) beyond them reads as zeros.
                String micros = String.format("%06d", t.getNano() / 1000);
                return text + "." + micros.substring(0, digits);
            }
        }
        if (value instanceof BigDecimal b) return b.toPlainString();
        return value.toString();
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The 3 of "datetime(3)"; 0 without a fraction. */
    private static int fractionDigits(String type) {
        int open = type.indexOf('(');
        int close = type.indexOf(')', open + 1);
        if (open < 0 || close < 0) return 0;
        try {
            return Math.max(0, Math.min(6, Integer.parseInt(type.substring(open + 1, close).trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The server's error number behind a failed stream, or 0. */
    static int errorCode(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ServerException s) return s.getErrorCode();
        }
        return 0;
    }
}

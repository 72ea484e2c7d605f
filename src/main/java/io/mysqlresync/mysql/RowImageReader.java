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
import com.github.shyiko.mysql.binlog.network.ServerException;

import io.mysqlresync.replication.BinlogCoordinates;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
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

    /** The primary key columns of a table: names, and their 0-based positions in the row image. */
    record PrimaryKey(List<String> names, List<Integer> positions) {
        static final PrimaryKey UNKNOWN = new PrimaryKey(List.of(), List.of());
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
        Thread worker = new Thread(() -> {
            try {
                client.connect();
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e instanceof IOException io ? io : new IOException(e));
            } finally {
                finished.countDown();
            }
        }, "ledger-binlog-" + host + ":" + port);
        worker.setDaemon(true);
        worker.start();
        boolean inTime = finished.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            client.disconnect();
        } catch (IOException ignored) {
            // the stream is dropped either way
        }
        worker.join(2_000);
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
        Thread worker = new Thread(() -> {
            try {
                client.connect();
            } catch (IOException | RuntimeException e) {
                // reported as "unknown": the caller falls back to the node's current position
            } finally {
                finished.countDown();
            }
        }, "ledger-binlog-start-" + host + ":" + port);
        worker.setDaemon(true);
        worker.start();
        finished.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            client.disconnect();
        } catch (IOException ignored) {
            // dropped either way
        }
        worker.join(2_000);
        return Optional.ofNullable(created.get());
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
        for (int position : pk.positions()) {
            if (included != null && !included.get(position)) return;
            // Row arrays hold only the included columns, in table order.
            int index = included == null ? position : included.get(0, position).cardinality();
            if (index >= row.length) return;
            key.add(text(row[index]));
        }
        out.add(key);
    }

    static String text(Serializable value) {
        if (value == null) return "NULL";
        if (value instanceof byte[] bytes) return new String(bytes, StandardCharsets.UTF_8);
        return value.toString();
    }

    /** The server's error number behind a failed stream, or 0. */
    static int errorCode(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ServerException s) return s.getErrorCode();
        }
        return 0;
    }
}

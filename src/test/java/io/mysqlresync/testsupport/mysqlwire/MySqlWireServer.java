package io.mysqlresync.testsupport.mysqlwire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small server on a free loopback port speaking the MySQL client/server protocol, enough for
 * Connector/J: the v10 handshake, one authentication round (mysql_native_password accepted as
 * sent, or caching_sha2_password answered with "fast auth success"), then COM_QUERY answered
 * with text resultsets, OK or ERR packets, COM_PING and COM_QUIT. Classic EOF packets: the
 * server does not advertise CLIENT_DEPRECATE_EOF, which every client must accept.
 *
 * <p>What a statement gets is the {@code answers} function's business (see {@link ScriptedMySql});
 * every statement received is recorded, so a test can assert the dialect the client chose.
 *
 * <p>Protocol reference: the MySQL source's "Client/Server Protocol" documentation
 * (sql-common/client.cc, sql/protocol_classic.cc; dev.mysql.com/doc/dev/mysql-server/latest/
 * PAGE_PROTOCOL.html: Protocol::HandshakeV10, Protocol::HandshakeResponse41, OK_Packet,
 * ERR_Packet, EOF_Packet, Text Resultset).
 */
public final class MySqlWireServer implements AutoCloseable {

    // Capability flags (include/mysql_com.h).
    static final int CLIENT_LONG_PASSWORD = 1;
    static final int CLIENT_FOUND_ROWS = 2;
    static final int CLIENT_LONG_FLAG = 4;
    static final int CLIENT_CONNECT_WITH_DB = 8;
    static final int CLIENT_PROTOCOL_41 = 0x200;
    static final int CLIENT_TRANSACTIONS = 0x2000;
    static final int CLIENT_SECURE_CONNECTION = 0x8000;
    static final int CLIENT_MULTI_STATEMENTS = 0x10000;
    static final int CLIENT_MULTI_RESULTS = 0x20000;
    static final int CLIENT_PLUGIN_AUTH = 0x80000;
    static final int CLIENT_CONNECT_ATTRS = 0x100000;
    static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;

    static final int CAPABILITIES = CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
            | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS
            | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

    private static final int SERVER_STATUS_AUTOCOMMIT = 2;
    private static final int COM_QUIT = 0x01;
    private static final int COM_INIT_DB = 0x02;
    private static final int COM_QUERY = 0x03;
    private static final int COM_PING = 0x0e;
    private static final int COM_RESET_CONNECTION = 0x1f;
    /** MYSQL_TYPE_VAR_STRING: every value is sent as text, as the text protocol does anyway. */
    private static final int TYPE_VAR_STRING = 0xfd;

    /** What a statement gets back. */
    public sealed interface Answer permits Rows, Ok, Error {
    }

    /** A text resultset; a null value is SQL NULL. */
    public record Rows(List<String> columns, List<List<String>> rows) implements Answer {
        public Rows {
            columns = List.copyOf(columns);
            rows = rows.stream().map(r -> Collections.unmodifiableList(new ArrayList<>(r))).toList();
        }
    }

    public record Ok(long affectedRows) implements Answer {
    }

    /** An ERR packet: the error number, its SQLSTATE and the server's message. */
    public record Error(int code, String sqlState, String message) implements Answer {
    }

    private final String serverVersion;
    private final String authPlugin;
    private final int collation;
    private final Function<String, Answer> answers;
    private final ServerSocket socket;
    private final List<String> statements = Collections.synchronizedList(new ArrayList<>());
    private final List<String> users = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> clients = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connectionIds = new AtomicInteger(7);
    private volatile boolean closed;
    private final Thread acceptor;

    /**
     * @param authPlugin mysql_native_password (5.7's default) or caching_sha2_password (8.0's)
     * @param collation  the server's default collation id (255 utf8mb4_0900_ai_ci, 33 utf8_general_ci)
     */
    public MySqlWireServer(String serverVersion, String authPlugin, int collation,
                           Function<String, Answer> answers) throws IOException {
        this.serverVersion = serverVersion;
        this.authPlugin = authPlugin;
        this.collation = collation;
        this.answers = answers;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "mysql-standin-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Every statement received, in order, across connections. */
    public List<String> statements() {
        synchronized (statements) {
            return List.copyOf(statements);
        }
    }

    /** The user names clients logged in with. */
    public List<String> users() {
        synchronized (users) {
            return List.copyOf(users);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                if (closed) {
                    s.close(); // accepted while closing: a closed server answers nobody
                    return;
                }
                clients.add(s);
                Thread t = new Thread(() -> serve(s), "mysql-standin-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] scramble = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
            write(out, 0, handshake(scramble));
            Packet response = read(in);
            users.add(userOf(response.payload()));
            int seq = response.seq() + 1;
            if (authPlugin.equals("caching_sha2_password")) {
                // The scramble matched the server's cache: "fast auth success", then OK.
                write(out, seq++, new byte[] {0x01, 0x03});
            }
            write(out, seq, ok(0));
            while (!closed) {
                Packet p = read(in);
                byte[] b = p.payload();
                int command = b.length == 0 ? -1 : b[0] & 0xff;
                switch (command) {
                    case COM_QUIT -> {
                        return;
                    }
                    case COM_PING, COM_INIT_DB, COM_RESET_CONNECTION -> write(out, 1, ok(0));
                    case COM_QUERY -> {
                        String sql = new String(b, 1, b.length - 1, StandardCharsets.UTF_8);
                        statements.add(sql);
                        Answer a;
                        try {
                            a = answers.apply(sql);
                        } catch (RuntimeException e) {
                            a = new Error(1105, "HY000", "stand-in failed on this statement: " + e);
                        }
                        send(out, a);
                    }
                    default -> write(out, 1, err(new Error(1047, "08S01", "Unknown command")));
                }
            }
        } catch (EOFException | SocketException e) {
            // client went away
        } catch (IOException e) {
            if (!closed) System.err.println("mysql stand-in: " + e);
        } finally {
            clients.remove(s);
        }
    }

    private void send(OutputStream out, Answer a) throws IOException {
        if (a instanceof Ok ok) {
            write(out, 1, ok(ok.affectedRows()));
            return;
        }
        if (a instanceof Error e) {
            write(out, 1, err(e));
            return;
        }
        Rows r = (Rows) a;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int seq = 1;
        seq = frame(all, seq, lenenc(r.columns().size()));
        for (String c : r.columns()) {
            seq = frame(all, seq, columnDefinition(c));
        }
        seq = frame(all, seq, eof());
        for (List<String> row : r.rows()) {
            ByteArrayOutputStream rb = new ByteArrayOutputStream();
            for (String v : row) {
                if (v == null) {
                    rb.write(0xfb);
                } else {
                    rb.writeBytes(lenencString(v));
                }
            }
            seq = frame(all, seq, rb.toByteArray());
        }
        frame(all, seq, eof());
        out.write(all.toByteArray());
        out.flush();
    }

    private byte[] handshake(byte[] scramble) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(10); // protocol version
        b.writeBytes(serverVersion.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        int4(b, connectionIds.incrementAndGet());
        b.write(scramble, 0, 8);
        b.write(0);
        int2(b, CAPABILITIES & 0xffff);
        b.write(collation);
        int2(b, SERVER_STATUS_AUTOCOMMIT);
        int2(b, CAPABILITIES >>> 16);
        b.write(scramble.length + 1);
        b.writeBytes(new byte[10]);
        b.write(scramble, 8, scramble.length - 8);
        b.write(0);
        b.writeBytes(authPlugin.getBytes(StandardCharsets.US_ASCII));
        b.write(0);
        return b.toByteArray();
    }

    /** HandshakeResponse41: 4 capability bytes, 4 max-packet, 1 charset, 23 filler, then the user name. */
    private static String userOf(byte[] response) {
        int start = 32;
        int end = start;
        while (end < response.length && response[end] != 0) end++;
        return new String(response, start, Math.max(0, end - start), StandardCharsets.UTF_8);
    }

    private byte[] columnDefinition(String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(lenencString("def"));
        b.writeBytes(lenencString(""));
        b.writeBytes(lenencString(""));
        b.writeBytes(lenencString(""));
        b.writeBytes(lenencString(name));
        b.writeBytes(lenencString(name));
        b.write(0x0c);
        int2(b, collation);
        int4(b, 1 << 20);
        b.write(TYPE_VAR_STRING);
        int2(b, 0);
        b.write(0);
        int2(b, 0);
        return b.toByteArray();
    }

    private static byte[] ok(long affected) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        b.writeBytes(lenenc(affected));
        b.writeBytes(lenenc(0));
        int2(b, SERVER_STATUS_AUTOCOMMIT);
        int2(b, 0);
        return b.toByteArray();
    }

    private static byte[] err(Error e) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xff);
        int2(b, e.code());
        b.write('#');
        b.writeBytes(e.sqlState().getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(e.message().getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    private static byte[] eof() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xfe);
        int2(b, 0);
        int2(b, SERVER_STATUS_AUTOCOMMIT);
        return b.toByteArray();
    }

    private static byte[] lenenc(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (v < 251) {
            b.write((int) v);
        } else if (v < (1 << 16)) {
            b.write(0xfc);
            int2(b, (int) v);
        } else if (v < (1 << 24)) {
            b.write(0xfd);
            b.write((int) v);
            b.write((int) (v >>> 8));
            b.write((int) (v >>> 16));
        } else {
            b.write(0xfe);
            for (int i = 0; i < 8; i++) b.write((int) (v >>> (8 * i)));
        }
        return b.toByteArray();
    }

    private static byte[] lenencString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(lenenc(bytes.length));
        b.writeBytes(bytes);
        return b.toByteArray();
    }

    private static void int2(ByteArrayOutputStream b, int v) {
        b.write(v & 0xff);
        b.write((v >>> 8) & 0xff);
    }

    private static void int4(ByteArrayOutputStream b, int v) {
        int2(b, v & 0xffff);
        int2(b, v >>> 16);
    }

    private record Packet(int seq, byte[] payload) {
    }

    private static Packet read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) throw new EOFException();
        int len = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        byte[] payload = in.readNBytes(len);
        if (payload.length < len) throw new EOFException();
        return new Packet(header[3] & 0xff, payload);
    }

    private static int frame(ByteArrayOutputStream out, int seq, byte[] payload) {
        out.write(payload.length & 0xff);
        out.write((payload.length >>> 8) & 0xff);
        out.write((payload.length >>> 16) & 0xff);
        out.write(seq & 0xff);
        out.writeBytes(payload);
        return seq + 1;
    }

    private static void write(OutputStream out, int seq, byte[] payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        frame(b, seq, payload);
        out.write(b.toByteArray());
        out.flush();
    }

    /** Drops every open client connection, like a server restart, but keeps listening. */
    public void dropConnections() {
        synchronized (clients) {
            for (Socket s : clients) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        // A blocked accept() may still complete once after close(): wait until the port is really shut.
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropConnections();
    }
}

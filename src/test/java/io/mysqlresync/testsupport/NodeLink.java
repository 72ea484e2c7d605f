package io.mysqlresync.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The network between the bot and one real node, as a TCP relay on a loopback port that the
 * bot's configuration names instead of the node's own: every byte is passed on as it comes,
 * except that it can hold one statement in flight. {@link #holdNext} arms it; the next query
 * packet whose text contains the statement has left the bot but does not reach the server, as
 * when the network stalls, until the test kills the node (the bot's connection then closes, as
 * it would) or the bot, or {@link #dropHeld} drops it. Tests use it to act between two
 * statements of a plan without anything in the bot's own code.
 * <p>
 * Plain text only: the sandbox's servers have no TLS (a node reached over TLS cannot be held).
 * The bot's read timeout must outlast the hold, or the driver gives up on the statement first.
 */
public final class NodeLink implements AutoCloseable {

    private final String nodeHost;
    private final int nodePort;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicReference<byte[]> armed = new AtomicReference<>();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch dropped = new CountDownLatch(1);
    private volatile boolean closed;

    private NodeLink(String nodeHost, int nodePort) throws IOException {
        this.nodeHost = nodeHost;
        this.nodePort = nodePort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "node-link-" + nodePort);
        accept.setDaemon(true);
        accept.start();
    }

    /** A link to the node at host:port, listening on a free loopback port. */
    public static NodeLink to(String nodeHost, int nodePort) throws IOException {
        return new NodeLink(nodeHost, nodePort);
    }

    /** Where the bot connects instead of the node. */
    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Holds the next query whose text contains {@code statement} (once; later ones pass). */
    public void holdNext(String statement) {
        armed.set(statement.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until the armed statement is held on its way to the node. */
    public void awaitHeld(Duration timeout) throws InterruptedException {
        if (!held.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no statement was held on the link to port " + nodePort + " within " + timeout);
        }
    }

    /** The held statement never reaches the node: its connection is closed on both sides. */
    public void dropHeld() {
        dropped.countDown();
    }

    private void accept() {
        while (!closed) {
            Socket bot;
            try {
                bot = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(bot);
            Thread t = new Thread(() -> connect(bot), "node-link-" + nodePort + "-open");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket bot) {
        Socket node;
        try {
            node = new Socket(nodeHost, nodePort);
        } catch (IOException e) {
            // No server there (killed, not started yet): the bot sees its connection closed at once.
            close(bot);
            return;
        }
        sockets.add(node);
        pump(node, bot, false, "node-to-bot");
        pump(bot, node, true, "bot-to-node");
    }

    private void pump(Socket from, Socket to, boolean mayHold, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (mayHold && holds(buf, n)) {
                        held.countDown();
                        dropped.await();
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side went away: the other is closed below, as the network would
            } finally {
                close(from);
                close(to);
            }
        }, "node-link-" + nodePort + "-" + name);
        t.setDaemon(true);
        t.start();
    }

    private boolean holds(byte[] buf, int n) {
        byte[] statement = armed.get();
        return statement != null && indexOf(buf, n, statement) >= 0 && armed.compareAndSet(statement, null);
    }

    private static int indexOf(byte[] buf, int n, byte[] what) {
        for (int i = 0; i + what.length <= n; i++) {
            if (Arrays.equals(buf, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        return -1;
    }

    private void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
        sockets.remove(s);
    }

    @Override
    public void close() {
        closed = true;
        dropped.countDown();
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sockets.forEach(this::close);
    }
}

package io.mysqlresync.testsupport.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket half of the fake: the Socket Mode endpoint that {@code apps.connections.open}
 * points at. Only URLs with a ticket issued by {@code apps.connections.open} are accepted, each
 * once, so a client that connects anywhere else (or reuses a stale URL) fails here as with Slack.
 */
final class FakeSocketMode extends WebSocketServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One send of an envelope; acks are matched to the oldest unacked delivery of the same id. */
    private static final class Delivery {
        final Envelope envelope;
        final long sentNanos;
        boolean acked;

        Delivery(Envelope envelope, long sentNanos) {
            this.envelope = envelope;
            this.sentNanos = sentNanos;
        }
    }

    private final CountDownLatch started = new CountDownLatch(1);
    private final Set<String> unusedTickets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicInteger rejectedHandshakes = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    // newest last; envelopes go to the newest open connection
    private final List<WebSocket> openConnections = new CopyOnWriteArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final List<String> otherClientFrames = new CopyOnWriteArrayList<>();
    private volatile Exception serverError;

    FakeSocketMode() {
        super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        setReuseAddr(true);
        setDaemon(true);
    }

    void startAndWait() {
        start();
        try {
            if (!started.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("FakeSlack WebSocket server did not start within 5 s", serverError);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the FakeSlack WebSocket server", e);
        }
    }

    /** What apps.connections.open returns: a fresh single-use URL, shaped like Slack's. */
    String issueUrl() {
        String ticket = UUID.randomUUID().toString();
        unusedTickets.add(ticket);
        return "ws://127.0.0.1:" + getPort() + "/link/?ticket=" + ticket + "&app_id=" + FakeSlack.APP_ID;
    }

    // ---------------------------------------------------------------- server callbacks

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
                                                                       ClientHandshake request)
            throws InvalidDataException {
        String ticket = ticketOf(request.getResourceDescriptor());
        if (ticket == null || !unusedTickets.remove(ticket)) {
            rejectedHandshakes.incrementAndGet();
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION,
                    "unknown or reused Socket Mode ticket in " + request.getResourceDescriptor());
        }
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onStart() {
        setConnectionLostTimeout(0); // Slack's own pings are not modelled; Bolt pings us instead.
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        int number = connectionsOpened.incrementAndGet();
        openConnections.add(conn);
        peakOpen.accumulateAndGet(openConnectionCount(), Math::max);
        ObjectNode hello = JSON.createObjectNode()
                .put("type", "hello")
                .put("num_connections", openConnections.size());
        hello.putObject("debug_info")
                .put("host", "fake-applink-" + number)
                .put("build_number", 1)
                .put("approximate_connection_time", 18060);
        hello.putObject("connection_info").put("app_id", FakeSlack.APP_ID);
        conn.send(hello.toString());
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        openConnections.remove(conn);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        long receivedNanos = System.nanoTime();
        JsonNode frame;
        try {
            frame = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            otherClientFrames.add(message);
            return;
        }
        String envelopeId = frame.path("envelope_id").asText("");
        if (envelopeId.isEmpty()) {
            otherClientFrames.add(message);
            return;
        }
        JsonNode payload = frame.has("payload") ? frame.get("payload") : MissingNode.getInstance();
        synchronized (deliveries) {
            Delivery matched = null;
            for (Delivery delivery : deliveries) {
                if (delivery.envelope.envelopeId().equals(envelopeId)) {
                    if (!delivery.acked) {
                        matched = delivery;
                        break;
                    }
                    matched = delivery; // keeps the last one if every delivery is already acked
                }
            }
            if (matched == null) {
                otherClientFrames.add(message);
                return;
            }
            matched.acked = true;
            acks.add(new Ack(envelopeId, matched.envelope.retryAttempt(),
                    Duration.ofNanos(receivedNanos - matched.sentNanos), payload, receivedNanos, message));
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            serverError = ex;
            started.countDown();
        }
    }

    // ---------------------------------------------------------------- sending

    void deliver(Envelope envelope, Duration waitForConnection) {
        WebSocket target = Await.until(waitForConnection, "open Socket Mode connection to deliver "
                        + envelope.type() + " envelope " + envelope.envelopeId(),
                this::newestOpenConnection, () -> connectionsOpened.get() + " connection(s) opened, none open now");
        synchronized (deliveries) {
            deliveries.add(new Delivery(envelope, System.nanoTime()));
        }
        target.send(envelope.json());
    }

    void sendToAllOpen(String frame) {
        for (WebSocket conn : openConnections) {
            if (conn.isOpen()) {
                conn.send(frame);
            }
        }
    }

    /**
     * What Slack does with a {@code disconnect}: tells every open connection, then closes those
     * same connections {@code closeAfter} later (about 10 s for {@code warning}), whether or not
     * the client has moved on meanwhile.
     */
    void sendToAllOpenThenClose(String frame, java.time.Duration closeAfter) {
        List<WebSocket> told = new ArrayList<>();
        for (WebSocket conn : openConnections) {
            if (conn.isOpen()) {
                conn.send(frame);
                told.add(conn);
            }
        }
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(closeAfter.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            told.forEach(conn -> conn.close(CloseFrame.NORMAL, "disconnected"));
        }, "fake-slack-disconnect");
        closer.setDaemon(true);
        closer.start();
    }

    /** The most connections open at the same time since the last {@link #resetPeak()}. */
    int peakOpenConnections() {
        return peakOpen.get();
    }

    void resetPeak() {
        peakOpen.set(openConnectionCount());
    }

    void closeAll(int code, String reason) {
        for (WebSocket conn : openConnections) {
            conn.close(code, reason);
        }
    }

    /** Closes the TCP connections without a close handshake: the client sees code 1006. */
    void dropAll() {
        for (WebSocket conn : openConnections) {
            conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by FakeSlack");
        }
    }

    private Optional<WebSocket> newestOpenConnection() {
        List<WebSocket> snapshot = List.copyOf(openConnections);
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            if (snapshot.get(i).isOpen()) {
                return Optional.of(snapshot.get(i));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- recordings

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    List<Envelope> delivered() {
        synchronized (deliveries) {
            return deliveries.stream().map(d -> d.envelope).toList();
        }
    }

    List<String> otherClientFrames() {
        return List.copyOf(otherClientFrames);
    }

    int connectionsOpened() {
        return connectionsOpened.get();
    }

    int openConnectionCount() {
        return (int) openConnections.stream().filter(WebSocket::isOpen).count();
    }

    int rejectedHandshakes() {
        return rejectedHandshakes.get();
    }

    private static String ticketOf(String resourceDescriptor) {
        String query = URI.create(resourceDescriptor).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("ticket=")) {
                return pair.substring("ticket=".length());
            }
        }
        return null;
    }
}

package io.mysqlresync.slack;

import com.slack.api.socket_mode.SocketModeClient;
import org.java_websocket.client.WebSocketClient;

import java.lang.reflect.Field;

/**
 * Whether a Socket Mode client's WebSocket is open, without a round trip. The SDK offers only
 * {@code verifyConnection()}, which pings and waits up to 3 s for the pong: too slow for a
 * readiness probe or a scrape. Its Java-WebSocket client keeps the session in a private field;
 * we read that one field and ask it {@code isOpen()}. If an SDK upgrade renames it, the ping is
 * the fallback (and OpsEndpointsAcceptanceTest, which drops the fake Slack's socket, notices).
 */
final class SocketModeState {

    private static final Field SESSION = sessionField();

    private SocketModeState() {
    }

    static boolean open(SocketModeClient client) {
        if (client == null) return false;
        if (SESSION != null && SESSION.getDeclaringClass().isInstance(client)) {
            try {
                return SESSION.get(client) instanceof WebSocketClient ws && ws.isOpen();
            } catch (IllegalAccessException e) {
                // fall through to the SDK's own check
            }
        }
        return client.verifyConnection();
    }

    private static Field sessionField() {
        try {
            Field f = Class.forName("com.slack.api.socket_mode.impl.SocketModeClientJavaWSImpl")
                    .getDeclaredField("currentSession");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}

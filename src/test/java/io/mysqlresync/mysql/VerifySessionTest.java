package io.mysqlresync.mysql;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.verify.CancelToken;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class VerifySessionTest {

    @Test
    void aSessionThatCannotBeSetUpClosesItsConnection() {
        AtomicBoolean closed = new AtomicBoolean();
        // A node that accepts the connection, then fails the first query (dropped, or refused).
        Connection failing = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closed.set(true);
                        return null;
                    }
                    if (method.getName().equals("createStatement")) {
                        throw new SQLException("Communications link failure", "08S01");
                    }
                    return null;
                });
        assertThrows(SQLException.class, () -> new VerifySession("node1", failing, Duration.ofSeconds(5),
                CancelToken.none()));
        assertTrue(closed.get(), "the connection was left open");
    }
}

package io.mysqlresync.store;

import io.mysqlresync.config.StateSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class MariaDbOutboxTest extends OutboxContract {

    static TestStateDatabases.ThrowawayMysql server;

    @BeforeAll
    static void createDatabase() {
        server = TestStateDatabases.ThrowawayMysql.createOrSkip();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    StateSettings settings() {
        return server.settings(true);
    }
}

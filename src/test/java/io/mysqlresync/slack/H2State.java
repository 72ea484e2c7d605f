package io.mysqlresync.slack;

import io.mysqlresync.config.Secret;
import io.mysqlresync.config.StateSettings;
import io.mysqlresync.store.JdbcResyncStore;
import io.mysqlresync.store.StateDatabase;

import java.util.UUID;

/** The bot's real state store, on a private in-memory H2 database per test. */
final class H2State implements AutoCloseable {

    final StateDatabase database;
    final JdbcResyncStore store;

    private H2State(StateDatabase database) {
        this.database = database;
        this.store = new JdbcResyncStore(database.dataSource());
    }

    static H2State open() {
        String url = "jdbc:h2:mem:slack-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        return new H2State(StateDatabase.open(new StateSettings(url, new Secret(""), new Secret(""), false)));
    }

    @Override
    public void close() {
        database.close();
    }
}

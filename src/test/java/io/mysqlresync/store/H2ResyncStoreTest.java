package io.mysqlresync.store;

import io.mysqlresync.config.StateSettings;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The default deployment: one bot with an embedded H2 file. */
class H2ResyncStoreTest extends ResyncStoreContract {

    @TempDir
    static Path dir;

    @Override
    StateSettings settings() {
        return TestStateDatabases.h2File(dir);
    }
}

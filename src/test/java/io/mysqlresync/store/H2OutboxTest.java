package io.mysqlresync.store;

import io.mysqlresync.config.StateSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2OutboxTest extends OutboxContract {

    @TempDir
    static Path dir;

    @Override
    StateSettings settings() {
        return TestStateDatabases.h2File(dir);
    }
}

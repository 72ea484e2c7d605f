package io.mysqlresync.store;

import io.mysqlresync.config.StateSettings;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbVerificationLogTest extends VerificationLogContract {

    @RegisterExtension
    static final TestStateDatabases.PerClass STATE = new TestStateDatabases.PerClass();

    @Override
    StateSettings settings() {
        return STATE.settings(true);
    }
}

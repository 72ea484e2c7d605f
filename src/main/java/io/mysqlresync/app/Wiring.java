package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.diagnosis.Thresholds;

/** Small translations from configuration to core values, shared by every mode. */
final class Wiring {
    private Wiring() {
    }

    static Thresholds thresholds(AppConfig config) {
        return new Thresholds(config.monitor().lagThreshold().toSeconds(), config.monitor().recentRestart().toSeconds());
    }
}

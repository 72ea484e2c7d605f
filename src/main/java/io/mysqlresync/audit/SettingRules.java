package io.mysqlresync.audit;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Every registered check, in the order a report lists them: what a crash loses first. */
public final class SettingRules {

    public static final List<SettingRule> ALL = List.of(
            new SyncBinlog(),
            new InnodbFlushLogAtTrxCommit(),
            new RelayLogRecovery(),
            new InfoRepositories(),
            new MySqlGtid(),
            new MariaDbGtid(),
            new LogReplicaUpdates(),
            new BinlogFormat(),
            new BinlogChecksum(),
            new BinlogRetention(),
            new AutoIncrementSequences(),
            new UniqueServerIds(),
            new DeadSourceDetection(),
            new ParallelApplierOrder(),
            new SemiSync());

    private SettingRules() {
    }

    /** The variable names to read from each node: every spelling any registered rule asks for, sorted. */
    public static Set<String> variables(List<SettingRule> rules) {
        Set<String> names = new TreeSet<>();
        rules.forEach(r -> names.addAll(r.variables()));
        return names;
    }
}

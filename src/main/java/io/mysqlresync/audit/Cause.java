package io.mysqlresync.audit;

import io.mysqlresync.diagnosis.FindingKind;

/**
 * A setting that explains what an incident did, in one sentence for the diagnosis message, with
 * the audit finding that carries its fix.
 *
 * @param node     the node whose replication broke
 * @param incident what broke there
 * @param setting  the audit finding (on that node or on its source) that explains it
 */
public record Cause(String node, FindingKind incident, SettingFinding setting, String sentence) {
}

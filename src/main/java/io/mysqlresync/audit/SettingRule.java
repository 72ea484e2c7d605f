package io.mysqlresync.audit;

import java.util.List;
import java.util.Set;

/**
 * One crash-safety check of one setting (or a few that only make sense together). A new check is
 * one class implementing this and one line in {@link SettingRules#ALL}; the adapter reads whatever
 * {@link #variables()} the registered rules name.
 */
public interface SettingRule {

    /** Every spelling of every variable this rule reads, across flavors and versions. */
    Set<String> variables();

    /**
     * The findings for one node: usually one, FINE included so the report shows what was checked;
     * none when the item does not apply (a 5.7-only setting on 8.0, semi-sync not in use).
     */
    List<SettingFinding> check(AuditContext context);
}

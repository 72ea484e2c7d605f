package io.mysqlresync.audit;

import java.util.List;

/**
 * How to apply a recommended setting. Never run by the audit itself: it is printed for a DBA (and
 * at most becomes an approval-gated plan later).
 *
 * @param sql           statements for a running server, in order ({@code SET PERSIST} on MySQL 8,
 *                      {@code SET GLOBAL} on MariaDB and 5.7); empty when only a restart applies it
 * @param myCnf         the option file lines ("[mysqld]\nx = v") so the setting survives a restart;
 *                      empty on MySQL 8, where SET PERSIST writes mysqld-auto.cnf
 * @param manualStep    a step that is not a statement (e.g. remove auto.cnf); empty when none
 * @param restartNeeded whether the setting only takes effect after a server restart
 */
public record Fix(List<String> sql, String myCnf, String manualStep, boolean restartNeeded) {

    public static final Fix NONE = new Fix(List.of(), "", "", false);

    public Fix {
        sql = List.copyOf(sql);
        myCnf = myCnf == null ? "" : myCnf;
        manualStep = manualStep == null ? "" : manualStep;
    }

    public boolean isNone() {
        return sql.isEmpty() && myCnf.isEmpty() && manualStep.isEmpty();
    }
}

-- The last scheduled crash-safety audit of each cluster (`audit.schedule`), so the next one
-- posts only what changed. Same portable conventions as V1__state.sql: instants as fixed-width
-- UTC text, free text as LONGTEXT, ${tableOptions}.

-- report_json: every node's findings (setting, current and recommended value, severity, fix)
-- and the nodes that could not be read.
CREATE TABLE resync_audit_report (
    cluster      VARCHAR(64) NOT NULL,
    audited_at   VARCHAR(30) NOT NULL,
    worst        VARCHAR(16) NOT NULL,
    report_json  LONGTEXT    NOT NULL,
    PRIMARY KEY (cluster)
) ${tableOptions};

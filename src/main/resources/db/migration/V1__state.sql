-- State of the bot: recovery plans and their approvals, incidents, lag watches, audit trail.
--
-- One script for H2 and MySQL/MariaDB. Portable on purpose:
--   * free text is LONGTEXT: MySQL's name for it, and an alias of CLOB in H2 2.x;
--   * instants are VARCHAR(30) in a fixed-width UTC form (2024-05-01T10:15:30.123456789Z):
--     exact to the nanosecond, sorted correctly as text, readable in a SQL prompt, and free of
--     TIMESTAMP time-zone conversions, which differ between the two databases and drivers;
--   * ${tableOptions} is the only vendor-specific part (set by StateDatabase): on MySQL/MariaDB
--     it forces InnoDB, whose row locks and transactions the compare-and-set guards need, and
--     utf8mb4 with a binary collation so ids and names compare exactly as they do in Java;
--     on H2 it is empty.

-- A plan waiting for, or past, a human decision. The plan itself (options, statements,
-- diagnosis, status) is JSON; the columns the guards and queries use are real columns.
CREATE TABLE resync_plan (
    id            VARCHAR(64)  NOT NULL,
    cluster       VARCHAR(64)  NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    requested_by  VARCHAR(255) NOT NULL,
    created_at    VARCHAR(30)  NOT NULL,
    expires_at    VARCHAR(30)  NOT NULL,
    decided_by    VARCHAR(255),
    decided_at    VARCHAR(30),
    channel       VARCHAR(64),
    message_ts    VARCHAR(64),
    plan_json     LONGTEXT     NOT NULL,
    PRIMARY KEY (id)
) ${tableOptions};

CREATE INDEX ix_resync_plan_state ON resync_plan (state, created_at);

-- One incident per problem on a cluster. open_cluster holds the cluster name while the
-- incident is open and NULL once it is closed: its unique index lets the database, not the
-- bot, refuse a second open incident for a cluster when two replicas detect the same problem
-- at the same moment. Both H2 and MySQL allow any number of NULLs in a unique index.
CREATE TABLE resync_incident (
    id            VARCHAR(64)  NOT NULL,
    cluster       VARCHAR(64)  NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    open_cluster  VARCHAR(64),
    problem_key   LONGTEXT     NOT NULL,
    headline      LONGTEXT     NOT NULL,
    opened_at     VARCHAR(30)  NOT NULL,
    updated_at    VARCHAR(30)  NOT NULL,
    channel       VARCHAR(64),
    message_ts    VARCHAR(64),
    PRIMARY KEY (id),
    CONSTRAINT uq_resync_incident_open UNIQUE (open_cluster)
) ${tableOptions};

CREATE INDEX ix_resync_incident_cluster ON resync_incident (cluster, opened_at);

-- The running "watch the lag fall" job of a cluster, so another replica can take it over.
CREATE TABLE resync_lag_watch (
    cluster         VARCHAR(64)  NOT NULL,
    channel         VARCHAR(64),
    message_ts      VARCHAR(64),
    thread_ts       VARCHAR(64),
    started_at      VARCHAR(30)  NOT NULL,
    in_sync_streak  INTEGER      NOT NULL,
    alerted         BOOLEAN      NOT NULL,
    incident_id     VARCHAR(64),
    samples_json    LONGTEXT     NOT NULL,
    PRIMARY KEY (cluster)
) ${tableOptions};

-- Append-only: the store has no statement that updates or deletes audit rows.
-- seq breaks ties between entries written in the same instant, in insertion order.
CREATE TABLE resync_audit (
    seq          BIGINT AUTO_INCREMENT NOT NULL,
    happened_at  VARCHAR(30)  NOT NULL,
    cluster      VARCHAR(64),
    plan_id      VARCHAR(64)  NOT NULL,
    actor        VARCHAR(255) NOT NULL,
    action       VARCHAR(64)  NOT NULL,
    detail       LONGTEXT     NOT NULL,
    PRIMARY KEY (seq)
) ${tableOptions};

CREATE INDEX ix_resync_audit_at ON resync_audit (happened_at, seq);
CREATE INDEX ix_resync_audit_cluster_at ON resync_audit (cluster, happened_at, seq);

-- What one poll or lag-watch check leaves for the next, whichever replica runs it. It used to
-- live in the Quartz jobs' data; here it is plain rows that any replica reads and updates.
-- Same portability rules as V1 (instants as fixed-width VARCHAR(30) text, ${tableOptions}).

-- The last start time (read time minus Uptime) seen per node: a later one means a restart.
-- The store only ever moves it forward (UPDATE ... WHERE started_at < ?), so a late poll on one
-- replica never puts back a start time that another replica has already replaced.
CREATE TABLE resync_node_start (
    cluster     VARCHAR(64)  NOT NULL,
    node        VARCHAR(128) NOT NULL,
    started_at  VARCHAR(30)  NOT NULL,
    PRIMARY KEY (cluster, node)
) ${tableOptions};

-- An incident whose alert could not be posted (Slack down, say): the next poll posts it.
CREATE TABLE resync_pending_alert (
    cluster      VARCHAR(64) NOT NULL,
    incident_id  VARCHAR(64) NOT NULL,
    PRIMARY KEY (cluster)
) ${tableOptions};

-- What a lag watch already said, so the next check (on any replica) does not say it again:
-- the progress view last shown, nodes announced caught up or no longer falling, and how many
-- checks in a row saw replication broken. Rows of an older watch of the cluster are ignored
-- (watch_started_at names the watch) and replaced by the next check.
CREATE TABLE resync_watch_memory (
    cluster           VARCHAR(64) NOT NULL,
    watch_started_at  VARCHAR(30) NOT NULL,
    shown             LONGTEXT    NOT NULL,
    caught_up         LONGTEXT    NOT NULL,
    not_falling       LONGTEXT    NOT NULL,
    broken_checks     INTEGER     NOT NULL,
    PRIMARY KEY (cluster)
) ${tableOptions};

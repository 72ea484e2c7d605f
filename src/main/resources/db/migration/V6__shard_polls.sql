-- The monitor is split into a fixed number of shard jobs that Quartz spreads over the live
-- replicas. One row per shard: who polled it last and when, so `status` can show it and a
-- shard that nobody polls (its replica died and no other took it over) becomes an alert.
-- Same portability rules as V1 (instants as fixed-width VARCHAR(30) text, ${tableOptions}).
CREATE TABLE resync_shard_poll (
    shard       INTEGER      NOT NULL,
    -- Quartz instance id of the replica that ran the last poll; '' before the first.
    instance    VARCHAR(200) NOT NULL,
    -- When the shard was configured, until its first poll.
    last_start  VARCHAR(30)  NOT NULL,
    last_end    VARCHAR(30),
    polls       BIGINT       NOT NULL,
    -- Announced late, not yet polled again: set and cleared by compare-and-set, so it is said once.
    late        BOOLEAN      NOT NULL,
    PRIMARY KEY (shard)
) ${tableOptions};

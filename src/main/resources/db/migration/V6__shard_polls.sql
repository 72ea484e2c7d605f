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

-- An alert being posted is claimed by its poster until claimed_until: with the shards moving
-- between replicas every interval, the next poll of the cluster often runs on another replica
-- while the first is still posting, and must not post it too. NULL: nobody is posting it.
ALTER TABLE resync_pending_alert ADD COLUMN claimed_until VARCHAR(30);

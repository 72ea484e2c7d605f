-- Repair plans (`repair`): the rows of one verification, per table a source of truth and the
-- statements on the other node. Same conventions as V1__state.sql. The plan is JSON; state and
-- revision are real columns because the compare-and-set guards read them.
CREATE TABLE resync_repair (
    id               VARCHAR(64)  NOT NULL,
    cluster          VARCHAR(64)  NOT NULL,
    verification_id  VARCHAR(64)  NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    revision         INTEGER      NOT NULL,
    requested_by     VARCHAR(255) NOT NULL,
    created_at       VARCHAR(30)  NOT NULL,
    expires_at       VARCHAR(30)  NOT NULL,
    decided_by       VARCHAR(255),
    decided_at       VARCHAR(30),
    channel          VARCHAR(64),
    message_ts       VARCHAR(64),
    missing_grants   LONGTEXT     NOT NULL,
    plan_json        LONGTEXT     NOT NULL,
    PRIMARY KEY (id)
) ${tableOptions};

CREATE INDEX ix_resync_repair_state ON resync_repair (state, created_at);

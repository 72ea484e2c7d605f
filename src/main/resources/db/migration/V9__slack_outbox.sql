-- Messages for Slack, kept until Slack has them (issue 14: Slack unreachable for minutes during
-- an incident). Delivered strictly in id order by whichever replica claims the oldest one; a
-- claim is a compare-and-set on state, like plans and alerts. Same portability rules as V1.
CREATE TABLE resync_outbox (
    id            BIGINT AUTO_INCREMENT NOT NULL,
    -- PENDING, SENDING (claimed), DELIVERED, FAILED (refused by Slack for good)
    state         VARCHAR(16)  NOT NULL,
    -- POST, REPLY, UPDATE
    kind          VARCHAR(16)  NOT NULL,
    -- which message this is for the bot ('incident:INC-7'), '' for a one-off
    message_key   VARCHAR(200) NOT NULL,
    -- message_key of a POST, NULL otherwise: one post per key, whoever writes it
    post_key      VARCHAR(200),
    channel       VARCHAR(64)  NOT NULL,
    thread_key    VARCHAR(200) NOT NULL,
    thread_ts     VARCHAR(64)  NOT NULL,
    target_ts     VARCHAR(64)  NOT NULL,
    what          VARCHAR(255) NOT NULL,
    body          LONGTEXT     NOT NULL,
    created_at    VARCHAR(30)  NOT NULL,
    attempts      INTEGER      NOT NULL,
    next_try_at   VARCHAR(30)  NOT NULL,
    owner         VARCHAR(200) NOT NULL,
    claimed_at    VARCHAR(30),
    done_at       VARCHAR(30),
    ts            VARCHAR(64)  NOT NULL,
    last_error    VARCHAR(255),
    PRIMARY KEY (id)
) ${tableOptions};

CREATE UNIQUE INDEX ux_resync_outbox_post ON resync_outbox (post_key);
CREATE INDEX ix_resync_outbox_queue ON resync_outbox (state, id);
CREATE INDEX ix_resync_outbox_key ON resync_outbox (message_key, id);

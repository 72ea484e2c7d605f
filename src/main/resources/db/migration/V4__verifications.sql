-- Drift verifications (`verify`) and the rows they found different. Same portable conventions
-- as V1__state.sql: instants as fixed-width UTC text, free text as LONGTEXT, ${tableOptions}.

-- One verification of a cluster. tables_json holds each table's verdict, reason and notes.
CREATE TABLE resync_verification (
    id             VARCHAR(64)  NOT NULL,
    cluster        VARCHAR(64)  NOT NULL,
    started_at     VARCHAR(30)  NOT NULL,
    took_ms        BIGINT       NOT NULL,
    verdict        VARCHAR(16)  NOT NULL,
    headline       LONGTEXT     NOT NULL,
    rows_compared  BIGINT       NOT NULL,
    requested_by   VARCHAR(255) NOT NULL,
    tables_json    LONGTEXT     NOT NULL,
    PRIMARY KEY (id)
) ${tableOptions};

CREATE INDEX ix_resync_verification_cluster ON resync_verification (cluster, started_at);

-- Each row that differed, in the order found: its table, its key and every node's values
-- (JSON; a node without the row has null), long values already cut for display.
CREATE TABLE resync_verification_row (
    verification_id  VARCHAR(64)  NOT NULL,
    seq              INTEGER      NOT NULL,
    table_name       VARCHAR(200) NOT NULL,
    row_key          LONGTEXT     NOT NULL,
    difference_json  LONGTEXT     NOT NULL,
    PRIMARY KEY (verification_id, seq)
) ${tableOptions};

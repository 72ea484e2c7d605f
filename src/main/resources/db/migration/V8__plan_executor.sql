-- Who runs an approved plan, and when it last said it was alive. A plan left EXECUTING by a bot
-- that died (SIGKILL, OOM, host loss) is told apart from one still running by heartbeat_at: the
-- executing replica refreshes it every few seconds while its statements run.
ALTER TABLE resync_plan ADD COLUMN executor VARCHAR(255);
ALTER TABLE resync_plan ADD COLUMN heartbeat_at VARCHAR(30);

-- What ran of a plan is read back from its audit entries.
CREATE INDEX ix_resync_audit_plan ON resync_audit (plan_id, seq);

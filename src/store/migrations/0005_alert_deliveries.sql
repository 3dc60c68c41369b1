-- 0005: health-monitor follow-ups to 0004.
--
-- acknowledge_note keeps the acknowledging manager's note beside the
-- resolution note (alerts.note).  cleared_at marks a manually resolved
-- alert whose condition has since been seen to clear: until then a manual
-- resolution keeps the same condition from being raised again at the next
-- check (the manager has seen it and decided).
--
-- notification_deliveries records every notification attempt series (email
-- or webhook) for the alerts one check raised: outcome, attempts, the last
-- answer (HTTP status or SMTP reply code) and the error, if any.

ALTER TABLE alerts ADD COLUMN acknowledge_note TEXT;
ALTER TABLE alerts ADD COLUMN cleared_at TEXT;
CREATE INDEX alerts_program_manual ON alerts(program_id, condition_key)
	WHERE resolution = 'manual' AND cleared_at IS NULL;

CREATE TABLE notification_deliveries (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
	target TEXT NOT NULL,
	alert_ids TEXT NOT NULL DEFAULT '[]',
	status TEXT NOT NULL CHECK (status IN ('delivered', 'failed')),
	attempts INTEGER NOT NULL,
	response_code INTEGER,
	error TEXT,
	created_at TEXT NOT NULL,
	finished_at TEXT NOT NULL
);
CREATE INDEX notification_deliveries_program ON notification_deliveries(program_id, id);

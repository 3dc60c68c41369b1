-- 0004: health-monitor alerts.
--
-- An alert is raised once per condition: condition_key names the rule and
-- its subject (e.g. "stalled_pair:pair:42"), and at most one alert per key
-- is not resolved at a time.  It resolves itself when the condition clears
-- (resolution 'auto'), or a manager acknowledges or resolves it with a note.
-- details holds the figures that tripped the rule, as JSON.

CREATE TABLE alerts (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	rule TEXT NOT NULL CHECK (rule IN ('low_rating', 'waiting_too_long', 'stalled_pair',
		'no_intro', 'over_capacity', 'goal_overdue')),
	subject_kind TEXT NOT NULL CHECK (subject_kind IN ('person', 'membership', 'pair',
		'session', 'goal')),
	subject_id INTEGER NOT NULL,
	person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
	pair_id INTEGER REFERENCES pairs(id) ON DELETE SET NULL,
	condition_key TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
	message TEXT NOT NULL,
	details TEXT NOT NULL DEFAULT '{}',
	raised_at TEXT NOT NULL,
	acknowledged_at TEXT,
	acknowledged_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	resolved_at TEXT,
	resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	resolution TEXT CHECK (resolution IN ('auto', 'manual')),
	note TEXT
);
CREATE UNIQUE INDEX alerts_live_condition ON alerts(program_id, condition_key)
	WHERE status <> 'resolved';
CREATE INDEX alerts_program_status ON alerts(program_id, status, rule);
CREATE INDEX alerts_program_raised ON alerts(program_id, raised_at);

-- 0002: pairs (mentor-mentee pairings) and their lifecycle history,
-- matching preferences and exclusions.
--
-- A pair is proposed -> active -> completed, or declined, or ended early.
-- Person ids are kept beside the membership ids because access checks
-- ("member of this pair") and KPIs read them on every request.

CREATE TABLE pairs (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	mentor_membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
	mentee_membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
	mentor_person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	mentee_person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'completed', 'declined', 'ended')),
	source TEXT NOT NULL CHECK (source IN ('solver', 'request', 'manual')),
	score INTEGER,
	reasons TEXT NOT NULL DEFAULT '[]',
	locked INTEGER NOT NULL DEFAULT 0,
	proposed_on TEXT NOT NULL,
	started_on TEXT,
	ended_on TEXT,
	end_reason TEXT,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX pairs_program_status ON pairs(program_id, status);
CREATE INDEX pairs_mentor ON pairs(mentor_person_id);
CREATE INDEX pairs_mentee ON pairs(mentee_person_id);

CREATE TABLE pair_events (
	id INTEGER PRIMARY KEY,
	pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
	at TEXT NOT NULL,
	from_status TEXT,
	to_status TEXT NOT NULL,
	actor TEXT NOT NULL,
	note TEXT
);
CREATE INDEX pair_events_pair ON pair_events(pair_id);

-- Explicit preferences: a mentee's ranked wishes, anyone's "not this person".
CREATE TABLE match_preferences (
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('wish', 'avoid')),
	other_person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	rank INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (program_id, person_id, kind, other_person_id)
);

-- Pairs an admin excluded: never proposed.
CREATE TABLE match_exclusions (
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	mentee_person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	mentor_person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	PRIMARY KEY (program_id, mentee_person_id, mentor_person_id)
);

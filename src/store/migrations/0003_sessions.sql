-- 0003: what pairs do together: sessions (and the goals or skills each
-- served), session ratings with their edit history, match-satisfaction
-- check-ins, goals with milestones and the mentor's comments, and skill or
-- goal self-assessments.
--
-- program_id is copied onto sessions, ratings, check-ins, goals and
-- assessments: every KPI reads "one program, a date range", and a copied
-- column with an index answers that without joining through pairs.
-- held_at is a UTC timestamp so the KPI engine can cut days in the
-- program's time zone; assessed_on, set_on and achieved_on are plain days.

CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	held_at TEXT NOT NULL,
	minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),
	kind TEXT NOT NULL CHECK (kind IN ('intro', 'regular')),
	status TEXT NOT NULL CHECK (status IN ('scheduled', 'completed', 'cancelled', 'no_show')),
	notes TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX sessions_program_held ON sessions(program_id, held_at);
CREATE INDEX sessions_pair_held ON sessions(pair_id, held_at);

CREATE TABLE goals (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	pair_id INTEGER REFERENCES pairs(id) ON DELETE SET NULL,
	category TEXT NOT NULL CHECK (category IN ('new_skill', 'promotion', 'performance',
		'engagement', 'certification', 'other')),
	description TEXT NOT NULL,
	skill_id INTEGER REFERENCES skills(id) ON DELETE SET NULL,
	target_date TEXT,
	status TEXT NOT NULL DEFAULT 'not_started'
		CHECK (status IN ('not_started', 'in_progress', 'achieved', 'dropped')),
	achieved_on TEXT,
	set_on TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK ((status = 'achieved') = (achieved_on IS NOT NULL))
);
CREATE INDEX goals_program_set ON goals(program_id, set_on);
CREATE INDEX goals_membership ON goals(membership_id);
CREATE INDEX goals_pair ON goals(pair_id);

CREATE TABLE milestones (
	id INTEGER PRIMARY KEY,
	goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	due_date TEXT,
	status TEXT NOT NULL DEFAULT 'not_started'
		CHECK (status IN ('not_started', 'in_progress', 'achieved', 'dropped')),
	achieved_on TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX milestones_goal ON milestones(goal_id);

CREATE TABLE goal_comments (
	id INTEGER PRIMARY KEY,
	goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
	author_person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
	author_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	body TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX goal_comments_goal ON goal_comments(goal_id);

-- A session served goals or skills (G3): exactly one of the two per row.
CREATE TABLE session_topics (
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	goal_id INTEGER REFERENCES goals(id) ON DELETE CASCADE,
	skill_id INTEGER REFERENCES skills(id) ON DELETE CASCADE,
	CHECK ((goal_id IS NULL) <> (skill_id IS NULL))
);
CREATE UNIQUE INDEX session_topics_unique
	ON session_topics(session_id, COALESCE(goal_id, 0), COALESCE(skill_id, 0));
CREATE INDEX session_topics_goal ON session_topics(goal_id);
CREATE INDEX session_topics_skill ON session_topics(skill_id);

-- One rating per rater per session; side is the rater's side of the pair.
CREATE TABLE ratings (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	rater_person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	side TEXT NOT NULL CHECK (side IN ('mentor', 'mentee')),
	score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	comment TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (session_id, rater_person_id)
);
CREATE INDEX ratings_program ON ratings(program_id);
CREATE INDEX ratings_pair ON ratings(pair_id);

CREATE TABLE rating_edits (
	id INTEGER PRIMARY KEY,
	rating_id INTEGER NOT NULL REFERENCES ratings(id) ON DELETE CASCADE,
	at TEXT NOT NULL,
	user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	old_score INTEGER NOT NULL,
	old_comment TEXT,
	new_score INTEGER NOT NULL,
	new_comment TEXT
);
CREATE INDEX rating_edits_rating ON rating_edits(rating_id);

-- "How well does this pairing suit you", per pair and participant (P7).
CREATE TABLE checkins (
	id INTEGER PRIMARY KEY,
	pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	side TEXT NOT NULL CHECK (side IN ('mentor', 'mentee')),
	score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	comment TEXT,
	answered_at TEXT NOT NULL
);
CREATE INDEX checkins_program_answered ON checkins(program_id, answered_at);
CREATE INDEX checkins_pair_person ON checkins(pair_id, person_id, answered_at);

-- Self-assessments (G2): the mentee's score for one skill or goal at the
-- start, middle or end of a pairing; assessor 'mentor' is the mentor's view
-- of the mentee.  Several per phase are allowed; G2 reads the earliest
-- start and the latest end.
CREATE TABLE assessments (
	id INTEGER PRIMARY KEY,
	pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	assessor TEXT NOT NULL CHECK (assessor IN ('mentee', 'mentor')),
	skill_id INTEGER REFERENCES skills(id) ON DELETE CASCADE,
	goal_id INTEGER REFERENCES goals(id) ON DELETE CASCADE,
	phase TEXT NOT NULL CHECK (phase IN ('start', 'mid', 'end')),
	score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	assessed_on TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at TEXT NOT NULL,
	CHECK ((goal_id IS NULL) <> (skill_id IS NULL))
);
CREATE INDEX assessments_program_assessed ON assessments(program_id, assessed_on);
CREATE INDEX assessments_pair ON assessments(pair_id);

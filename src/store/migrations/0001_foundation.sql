-- 0001: accounts, people, programs, memberships, skills, audit.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SSZ'; dates 'YYYY-MM-DD'.

CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	email TEXT NOT NULL UNIQUE,
	job_title TEXT,
	department TEXT,
	location TEXT,
	timezone TEXT,
	languages TEXT,
	seniority INTEGER NOT NULL DEFAULT 0 CHECK (seniority BETWEEN 0 AND 10),
	manager_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
	hire_date TEXT,
	left_date TEXT,
	demographics TEXT,
	opt_in INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX people_department ON people(department);
CREATE INDEX people_manager ON people(manager_id);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'mentor', 'mentee', 'viewer')),
	person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL
);

CREATE TABLE auth_sessions (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	csrf_token TEXT NOT NULL,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	last_used_at TEXT
);

CREATE TABLE login_throttle (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	locked_until TEXT
);

CREATE TABLE programs (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	start_date TEXT,
	end_date TEXT,
	status TEXT NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'open', 'running', 'closed', 'archived')),
	timezone TEXT NOT NULL DEFAULT 'UTC',
	settings TEXT NOT NULL DEFAULT '{}',
	questionnaire TEXT NOT NULL DEFAULT '[]',
	data_version INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE program_managers (
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	PRIMARY KEY (program_id, user_id)
);

CREATE TABLE skills (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE,
	category TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

CREATE TABLE memberships (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
	status TEXT NOT NULL DEFAULT 'active'
		CHECK (status IN ('pending', 'active', 'paused', 'left')),
	capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity BETWEEN 0 AND 20),
	goal_areas INTEGER NOT NULL DEFAULT 0,
	goals TEXT NOT NULL DEFAULT '',
	years_experience INTEGER,
	answers TEXT NOT NULL DEFAULT '{}',
	joined_on TEXT NOT NULL,
	left_on TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (program_id, person_id, role)
);
CREATE INDEX memberships_person ON memberships(person_id);

CREATE TABLE membership_skills (
	membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
	skill_id INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
	level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
	PRIMARY KEY (membership_id, skill_id)
);
CREATE INDEX membership_skills_skill ON membership_skills(skill_id);

CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	user_id INTEGER,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id INTEGER,
	before TEXT,
	after TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

-- 0007: indexes that answer the health monitor's reads by themselves.
-- A check reads every fact of a program; without these each row it reads
-- costs a lookup in the table, and on a large program (a million sessions)
-- those lookups were most of the check's time.
--
-- The held sessions of each active pair, with their day and kind.
CREATE INDEX sessions_pair_status_held ON sessions(pair_id, status, held_at, kind);
-- The low ratings with what the rule needs (0006's index, extended).
DROP INDEX ratings_program_score;
CREATE INDEX ratings_program_score
	ON ratings(program_id, score, pair_id, session_id, rater_person_id, side);
-- The keys of the unresolved alerts (0004's index, extended), which every
-- check compares with the conditions that hold.
DROP INDEX alerts_program_status;
CREATE INDEX alerts_program_status ON alerts(program_id, status, rule, condition_key);

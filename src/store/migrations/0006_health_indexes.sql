-- 0006: indexes the health monitor's queries ask for.
-- Low ratings are a small share of all ratings: (program, score) lets the
-- low-rating rule read only them instead of every rating of the program.
CREATE INDEX ratings_program_score ON ratings(program_id, score);

DROP INDEX persons_by_lookalike;
ALTER TABLE persons DROP COLUMN lookalike_key;
DROP TABLE sign_in_throttles;
DROP TABLE health_checks;

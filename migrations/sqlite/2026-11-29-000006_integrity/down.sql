DROP TABLE sign_in_throttles;
DROP TABLE health_checks;

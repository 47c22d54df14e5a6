DROP TABLE brief_contact_problem_types;
DROP TABLE brief_contacts;

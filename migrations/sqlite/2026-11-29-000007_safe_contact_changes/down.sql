DROP TABLE safe_contact_changes;

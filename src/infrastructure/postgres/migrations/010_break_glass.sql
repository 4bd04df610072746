-- A platform admin's override of an owning team's approval is its own kind of decision, shown in red everywhere.
ALTER TABLE approvals ADD COLUMN break_glass boolean NOT NULL DEFAULT false;

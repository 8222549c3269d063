-- Where a membership comes from: 'manual' (an admin, ADMIN_EMAIL, the /admin routes) or 'entra'
-- (the auth service, which at each sign-in replaces that user's 'entra' rows with the groups Entra
-- ID sent, and leaves 'manual' rows alone: functions/auth-service/group-sync.ts). The runtime role's
-- SELECT, INSERT and DELETE (0003) cover the new column: the sync never updates a row.
ALTER TABLE user_group_membership ADD COLUMN IF NOT EXISTS source text NOT NULL DEFAULT 'manual';
DO $$
BEGIN
  ALTER TABLE user_group_membership ADD CONSTRAINT user_group_membership_source CHECK (source IN ('manual', 'entra'));
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

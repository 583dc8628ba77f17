-- Pending points are on by default (issue 21, decision 043 as amended 2026-12-04): a programme row written without
-- the setting holds points until the return window closes. Rows already stored keep what they say (an explicit
-- "off" may be the merchant's choice; nothing ran in production with the earlier default).
ALTER TABLE "LoyaltyProgram" ALTER COLUMN "pendingPoints" SET DEFAULT true;

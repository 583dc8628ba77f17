-- Pending points on by default again (decision 043, third amendment): the slow statement is found and fixed (each
-- held order is now looked up by its key from the customer's own ledger rows), and with the default on the webhook
-- path keeps the 200-a-second budget. Rows already stored keep what they say.
ALTER TABLE "LoyaltyProgram" ALTER COLUMN "pendingPoints" SET DEFAULT true;

-- customers/redact marks the customer, so a late order webhook cannot write their name and email back.
-- ADD COLUMN keeps the table (and the rollup triggers on it) in place.
ALTER TABLE "Customer" ADD COLUMN "redactedAt" DATETIME;

-- Outbox coalescing under a unique index (issue 17, docs/decisions/028-scale-out.md): at most one pending message
-- per shop, coalesce key and operation, whatever the number of app instances. Before, an enqueue updated a pending
-- message with its key or inserted one when none was found: two transactions enqueuing the same key at the same
-- moment could both find none and both insert. Now the insert is INSERT … ON CONFLICT on this index: the second waits
-- for the first and then updates its row.

-- Pending duplicates left by that race, if any: the oldest keeps its place in the queue and takes the newest variables.
WITH "dup" AS (
  SELECT "shop", "coalesceKey", "operation", min("id") AS "keep", (array_agg("variables" ORDER BY "id" DESC))[1] AS "newest"
  FROM "OutboxMessage"
  WHERE "status" = 'pending' AND "coalesceKey" IS NOT NULL
  GROUP BY "shop", "coalesceKey", "operation"
  HAVING count(*) > 1
), "merged" AS (
  UPDATE "OutboxMessage" m SET "variables" = d."newest" FROM "dup" d WHERE m."id" = d."keep"
)
DELETE FROM "OutboxMessage" m
USING "dup" d
WHERE m."shop" = d."shop" AND m."coalesceKey" = d."coalesceKey" AND m."operation" = d."operation"
  AND m."status" = 'pending' AND m."id" <> d."keep";

CREATE UNIQUE INDEX "OutboxMessage_pending_coalesce_key" ON "OutboxMessage"("shop", "coalesceKey", "operation")
  WHERE "status" = 'pending' AND "coalesceKey" IS NOT NULL;

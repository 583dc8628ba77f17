-- Large mirror backlogs go to Shopify as bulk mutations (issue 19, docs/decisions/033-bulk-mirror.md).

-- The Shopify resource a message changes (the customer's gid: a tag call's `id`, a metafield's `ownerId`), so that
-- the outbox can tell in SQL which customer a message belongs to. Written by every enqueue from the variables.
ALTER TABLE "OutboxMessage" ADD COLUMN "subjectId" TEXT;
-- The bulk mirror a message was taken into (status 'bulk' while it is open); null otherwise.
ALTER TABLE "OutboxMessage" ADD COLUMN "bulkOperationId" INTEGER;

UPDATE "OutboxMessage"
SET "subjectId" = COALESCE("variables"::jsonb ->> 'id', "variables"::jsonb -> 'metafields' -> 0 ->> 'ownerId')
WHERE "status" = 'pending';

-- serves: the bulk mirror's choice of customers (pending messages of a shop, grouped by customer) and the
-- per-customer claim's test "has this customer a message inside an open bulk mirror" (status 'bulk').
CREATE INDEX "OutboxMessage_shop_status_subjectId_idx" ON "OutboxMessage"("shop", "status", "subjectId");
-- serves: a bulk mirror's messages (its JSONL lines, its reconciliation), by shop and operation.
CREATE INDEX "OutboxMessage_shop_bulk_idx" ON "OutboxMessage"("shop", "bulkOperationId") WHERE "bulkOperationId" IS NOT NULL;

-- One bulk mirror: a set of customers whose pending messages were taken out of the per-customer path, sent as up to
-- three Shopify bulk operations in sequence (stage: tagsRemove, tagsAdd, metafieldsSet). The customers are the
-- "subjectId" of its messages ("bulkOperationId" = id).
CREATE TABLE "BulkMirrorOperation" (
  "id" SERIAL PRIMARY KEY,
  "shop" TEXT NOT NULL,
  -- "tier-mirror"
  "kind" TEXT NOT NULL,
  -- "tagsRemove" | "tagsAdd" | "metafieldsSet": the Shopify bulk operation under way or next
  "stage" TEXT NOT NULL,
  -- "preparing" (the stage's file is not submitted yet) | "running" (Shopify runs it) | "done" | "failed"
  "status" TEXT NOT NULL,
  -- The running stage's BulkOperation gid
  "shopifyId" TEXT,
  "customers" INTEGER NOT NULL DEFAULT 0,
  -- JSONL lines submitted over all stages, and Admin API cost points spent (requested) on the mirror's calls
  "lines" INTEGER NOT NULL DEFAULT 0,
  "costPoints" INTEGER NOT NULL DEFAULT 0,
  "lastError" TEXT,
  "startedAt" TIMESTAMPTZ(3) NOT NULL,
  "finishedAt" TIMESTAMPTZ(3),
  -- The instance advancing it now (a lease, as jobs have: decision 027), until leaseUntil
  "leaseOwner" TEXT,
  "leaseUntil" TIMESTAMPTZ(3)
);

-- serves: "one open bulk mirror per shop" (Shopify runs one bulk mutation per shop at a time): the start's
-- INSERT … ON CONFLICT DO NOTHING, so two instances never start two for one shop.
CREATE UNIQUE INDEX "BulkMirrorOperation_open_shop" ON "BulkMirrorOperation"("shop") WHERE "status" IN ('preparing', 'running');
-- serves: a shop's mirrors newest first (the Loyalty page, tests) and shop/redact's delete.
CREATE INDEX "BulkMirrorOperation_shop_id_idx" ON "BulkMirrorOperation"("shop", "id");

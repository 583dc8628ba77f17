-- A bulk mirror's stage is planned and settled page by page in customer order (docs/decisions/033-bulk-mirror.md,
-- "Memory"): the index that finds a mirror's messages now also gives them in (subjectId, id) order, so each page is
-- a range read, not a sort of the whole mirror. It replaces the (shop, bulkOperationId) index it extends.
DROP INDEX IF EXISTS "OutboxMessage_shop_bulk_idx";
CREATE INDEX "OutboxMessage_shop_bulk_idx" ON "OutboxMessage"("shop", "bulkOperationId", "subjectId", "id") WHERE "bulkOperationId" IS NOT NULL;

-- Shopify Flow trigger payloads name their customer and order (issue 22): customers/redact deletes the ones about the
-- redacted customer (and the guest ones of the orders Shopify names), the data export lists them. The payload's
-- `customer_id` is left out when the id cannot be a JSON number exactly, so the ids get columns of their own.
ALTER TABLE "OutboxMessage"
  ADD COLUMN "customerId" TEXT,
  ADD COLUMN "orderId" TEXT;

-- Messages queued before this change: their payload's references (a reference beyond 2^53 was never sent, so it is
-- not known here either).
UPDATE "OutboxMessage"
  SET "customerId" = "variables"::jsonb -> 'payload' ->> 'customer_id',
      "orderId" = "variables"::jsonb -> 'payload' ->> 'order_id'
  WHERE "operation" = 'flowTriggerReceive';

-- A customer's trigger messages ("customerId" = $1), and a guest order's ("customerId" IS NULL AND "orderId" = ANY).
CREATE INDEX "OutboxMessage_shop_flow_customer_idx" ON "OutboxMessage"("shop", "customerId", "orderId")
  WHERE "operation" = 'flowTriggerReceive';

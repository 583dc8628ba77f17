-- The outbox worker's claim takes a shop's pending messages in id order (app/models/outbox.server.ts,
-- claimDueMessages). No index held them in that order: the claim walked the whole table's primary key from its first
-- row and filtered on the shop, so each claim cost as much as every message ever queued before the shop's first
-- pending one, delivered or not, of every shop (13 ms with 20,000 messages; 100 ms a claim in the benchmark's larger
-- database). Only pending messages are indexed: delivered and failed ones, most of the table, are never claimed.
CREATE INDEX "OutboxMessage_shop_pending_idx" ON "OutboxMessage"("shop", "id") WHERE "status" = 'pending';

-- The refunded amount of one order (customer facts, loyalty, the rollup triggers on every order event) must be a
-- lookup by (shop, orderId). With the covering (shop, createdAt, orderId, shopAmountMinor) index of the return
-- figures beside a non-covering (shop, orderId), SQLite chose the covering one and scanned all the shop's refunds.
DROP INDEX "Refund_shop_orderId_idx";
CREATE INDEX "Refund_shop_orderId_shopAmountMinor_idx" ON "Refund"("shop", "orderId", "shopAmountMinor");

-- A refund whose transactions name no currency ("currency": null, as in Shopify's own refunds/create sample) keeps
-- its amount as exact decimal text until its order is known; the order's currency then gives its minor units.
-- ADD COLUMN keeps the table (and the rollup triggers on it) in place.
ALTER TABLE "Refund" ADD COLUMN "amountDecimal" TEXT;

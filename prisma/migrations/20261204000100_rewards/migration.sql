-- Rewards (issue 21, docs/decisions/035-rewards-redemption.md): the shop's catalogue and shoppers' redemptions. A
-- redemption's points are PointsLedger rows ("redeem:<id>", and "redeem-reversal:<id>" when they are given back).
CREATE TABLE "Reward" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "pointsCost" INTEGER NOT NULL,
    "amountMinor" BIGINT,
    "percent" INTEGER,
    "minimumMinor" BIGINT,
    "currency" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "validityDays" INTEGER NOT NULL,
    "combinesWithOrder" BOOLEAN NOT NULL DEFAULT true,
    "combinesWithProduct" BOOLEAN NOT NULL DEFAULT true,
    "combinesWithShipping" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Reward_kind_check" CHECK ("kind" IN ('fixed_amount', 'percentage', 'free_shipping')),
    CONSTRAINT "Reward_pointsCost_check" CHECK ("pointsCost" > 0)
);

-- The catalogue of a shop, and a reward by id within its shop.
CREATE INDEX "Reward_shop_id_idx" ON "Reward"("shop", "id");

CREATE TABLE "RewardRedemption" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "rewardId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "discountId" TEXT,
    "staff" TEXT,
    "note" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RewardRedemption_pkey" PRIMARY KEY ("shop", "id"),
    CONSTRAINT "RewardRedemption_status_check" CHECK ("status" IN ('pending', 'issued', 'refused', 'used', 'expired'))
);

-- A retried redemption (the client's idempotency key, per customer).
CREATE UNIQUE INDEX "RewardRedemption_shop_customerId_idempotencyKey_key" ON "RewardRedemption"("shop", "customerId", "idempotencyKey");
-- A code named on an order; codes are unique per shop.
CREATE UNIQUE INDEX "RewardRedemption_shop_code_key" ON "RewardRedemption"("shop", "code");
-- The shopper's codes and history, newest first; the customer page; redaction and export.
CREATE INDEX "RewardRedemption_shop_customerId_createdAt_idx" ON "RewardRedemption"("shop", "customerId", "createdAt");
-- The figures (codes per status) and the expiry sweep (issued codes past their end).
CREATE INDEX "RewardRedemption_shop_status_expiresAt_idx" ON "RewardRedemption"("shop", "status", "expiresAt");

-- A reward code used on an order: which order, and when its webhook was applied (issue 21).
ALTER TABLE "RewardRedemption" ADD COLUMN "usedOrderId" TEXT;
ALTER TABLE "RewardRedemption" ADD COLUMN "usedAt" TIMESTAMPTZ(3);

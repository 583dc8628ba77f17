-- The goodwill codes a settled redemption confirms: the rewards service looks them up by redemption when Shopify's
-- late answer settles a code (decision 050).
CREATE INDEX "FollowUpGoodwill_shop_redemptionId_idx" ON "FollowUpGoodwill"("shop", "redemptionId");

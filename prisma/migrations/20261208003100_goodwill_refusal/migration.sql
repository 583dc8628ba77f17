-- A goodwill code Shopify refused at once keeps Shopify's reason (decision 050); a code settled later reads its state
-- and reason from its RewardRedemption instead.
ALTER TABLE "FollowUpGoodwill" ADD COLUMN "refusal" TEXT;

-- Tier perks as Shopify automatic discounts (issue 21, decision 039): one row per customer segment (a tier with a
-- perk) and per automatic discount (a distinct perk), with Shopify's id and the perk's state there.
CREATE TABLE "TierPerk" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "desired" TEXT,
    "applied" TEXT,
    "shopifyId" TEXT,
    "state" TEXT NOT NULL,
    "reason" TEXT,
    "endsAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TierPerk_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "TierPerk_shop_kind_key_key" ON "TierPerk"("shop", "kind", "key");

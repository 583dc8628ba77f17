-- shop/update keeps the shop profile current: Shopify's numeric shop id (compared with signed bodies that name the
-- shop by id) and the updated_at of the stored profile (an older delivery never overwrites a newer one).
ALTER TABLE "Shop" ADD COLUMN "shopifyId" TEXT;
ALTER TABLE "Shop" ADD COLUMN "profileUpdatedAt" DATETIME;

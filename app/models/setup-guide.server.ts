import { prisma, readSql } from "~/db.server";

/** What the app can see of a shop's first-run work, each read from the rows that complete it. */
interface SetupFacts {
  /** An answer arrived from the survey on the thank-you page / the order status page. */
  thankYouAnswered: boolean;
  orderStatusAnswered: boolean;
  /** The survey was published to the shop at least once (SurveySettings.publishedAt). */
  surveyPublished: boolean;
  /** The merchant saved a loyalty program (a LoyaltyProgram row; the default one is never stored). */
  loyaltySaved: boolean;
  /** A return policy version was published to Shopify (ReturnPolicyPublication.version). */
  policyPublished: boolean;
  /** An import of past orders finished (a done "order-import" job). */
  importFinished: boolean;
  /** When the merchant hid the guide; null when it shows. */
  dismissedAt: Date | null;
}

/**
 * One statement on the read connection, each part a primary-key lookup or an EXISTS that stops at the first row
 * through an index led by shop: SurveyResponse[shop, surface], the primary keys of SurveySettings, LoyaltyProgram,
 * ReturnPolicyPublication and SetupGuide, Job[shop, kind, startedAt]. The surface checks rest on the index and on the
 * (shop, surface) statistics of migration 20261203000700_setup_guide: without them a large shop whose answers all
 * come from one page was read whole (tests/integration/setup-guide.test.ts holds the plan).
 */
export async function readSetupFacts(shop: string): Promise<SetupFacts> {
  const [row] = await readSql().$queryRaw<SetupFacts[]>`
    SELECT
      EXISTS (SELECT 1 FROM "SurveyResponse" WHERE "shop" = ${shop} AND "surface" = 'thank-you') AS "thankYouAnswered",
      EXISTS (SELECT 1 FROM "SurveyResponse" WHERE "shop" = ${shop} AND "surface" = 'order-status') AS "orderStatusAnswered",
      EXISTS (SELECT 1 FROM "SurveySettings" WHERE "shop" = ${shop} AND "publishedAt" IS NOT NULL) AS "surveyPublished",
      EXISTS (SELECT 1 FROM "LoyaltyProgram" WHERE "shop" = ${shop}) AS "loyaltySaved",
      EXISTS (SELECT 1 FROM "ReturnPolicyPublication" WHERE "shop" = ${shop} AND "version" IS NOT NULL) AS "policyPublished",
      EXISTS (SELECT 1 FROM "Job" WHERE "shop" = ${shop} AND "kind" = 'order-import' AND "status" = 'done') AS "importFinished",
      (SELECT "dismissedAt" FROM "SetupGuide" WHERE "shop" = ${shop}) AS "dismissedAt"`;
  if (!row) throw new Error("setup facts: the statement returned no row");
  return row;
}

/** Hides (a date) or shows again (null) the shop's setup guide. */
export async function storeSetupGuideDismissed(shop: string, dismissedAt: Date | null, now: Date): Promise<void> {
  await prisma.setupGuide.upsert({ where: { shop }, create: { shop, dismissedAt, updatedAt: now }, update: { dismissedAt, updatedAt: now } });
}

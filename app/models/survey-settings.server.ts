import { prisma, readSql } from "~/db.server";

/** The shop's survey settings row: draft and published SurveyConfig as JSON text (validated by the caller). */
export interface StoredSurveySettings {
  draft: string;
  published: string | null;
  publishedAt: Date | null;
  lastPublishError: string | null;
  updatedAt: Date;
}

/** Read on the read connection: every admin page with survey labels (the dashboard among them) asks for it. */
export async function findSurveySettings(shop: string): Promise<StoredSurveySettings | null> {
  const [row] = await readSql().$queryRaw<StoredSurveySettings[]>`
    SELECT "draft", "published", "publishedAt", "lastPublishError", "updatedAt" FROM "SurveySettings" WHERE "shop" = ${shop}`;
  return row ?? null;
}

export async function storeSurveyDraft(shop: string, draft: string): Promise<void> {
  await prisma.surveySettings.upsert({ where: { shop }, create: { shop, draft }, update: { draft } });
}

/** A successful publish: the published config and when; clears the last error. */
export async function storeSurveyPublished(shop: string, published: string, publishedAt: Date): Promise<void> {
  await prisma.surveySettings.update({ where: { shop }, data: { published, publishedAt, lastPublishError: null } });
}

/** A failed publish: keeps whatever was published before, records why this attempt failed. */
export async function storeSurveyPublishError(shop: string, message: string): Promise<void> {
  await prisma.surveySettings.update({ where: { shop }, data: { lastPublishError: message } });
}

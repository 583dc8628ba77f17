import { prisma, readSql } from "~/db.server";
import { DEFAULT_ANSWER_WINDOW_DAYS } from "~/domain/survey/answer-integrity";
import type { SqlTx } from "./transaction.server";

/** The shop's survey settings row: draft and published SurveyConfig as JSON text (validated by the caller). */
export interface StoredSurveySettings {
  draft: string;
  published: string | null;
  publishedAt: Date | null;
  lastPublishError: string | null;
  answerWindowDays: number;
  updatedAt: Date;
}

/** Read on the read connection: every admin page with survey labels (the dashboard among them) asks for it. */
export async function findSurveySettings(shop: string): Promise<StoredSurveySettings | null> {
  const [row] = await readSql().$queryRaw<StoredSurveySettings[]>`
    SELECT "draft", "published", "publishedAt", "lastPublishError", "answerWindowDays", "updatedAt" FROM "SurveySettings" WHERE "shop" = ${shop}`;
  return row ? { ...row, answerWindowDays: Number(row.answerWindowDays) } : null;
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

/** The shop's answer window in days (the default before the shop saved survey settings), inside `tx`. */
export async function findAnswerWindowDays(shop: string, tx: SqlTx = prisma): Promise<number> {
  const [row] = await tx.$queryRaw<{ answerWindowDays: number | bigint }[]>`
    SELECT "answerWindowDays" FROM "SurveySettings" WHERE "shop" = ${shop}`;
  return row ? Number(row.answerWindowDays) : DEFAULT_ANSWER_WINDOW_DAYS;
}

/** Saves the shop's answer window (already checked by parseAnswerWindowDays); the draft stays as it is. */
export async function storeAnswerWindowDays(shop: string, days: number, defaultDraft: string): Promise<void> {
  await prisma.surveySettings.upsert({ where: { shop }, create: { shop, draft: defaultDraft, answerWindowDays: days }, update: { answerWindowDays: days } });
}

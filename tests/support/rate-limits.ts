import { prisma } from "~/db.server";

/** Every rate-limit bucket back to full (they live in the test file's database, shared by its tests). */
export async function resetSurveyRateLimits(): Promise<void> {
  await prisma.$executeRaw`DELETE FROM "RateLimitBucket"`;
}

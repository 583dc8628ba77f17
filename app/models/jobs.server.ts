import { prisma, readSql } from "~/db.server";

/** "rolling-sweep": the daily rolling-window sweep of one shop, recorded so that it runs once a day across instances. */
export type JobKind = "tier-recompute" | "order-import" | "rolling-sweep";

export async function createJob(shop: string, kind: JobKind, total: number, now: Date) {
  return prisma.job.create({ data: { shop, kind, status: "running", total, done: 0, startedAt: now } });
}

export async function updateJobProgress(shop: string, id: number, done: number) {
  await prisma.job.updateMany({ where: { shop, id }, data: { done } });
}

export async function finishJob(shop: string, id: number, status: "done" | "failed", now: Date, detail?: string) {
  await prisma.job.updateMany({ where: { shop, id }, data: { status, finishedAt: now, detail: detail ?? null } });
}

export interface JobRow {
  id: number;
  shop: string;
  kind: string;
  status: string;
  total: number;
  done: number;
  detail: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** The shop's latest job of `kind` (on the read connection: the dashboard and Loyalty page poll it). */
export async function latestJob(shop: string, kind: JobKind): Promise<JobRow | null> {
  const [row] = await readSql().$queryRaw<JobRow[]>`
    SELECT "id", "shop", "kind", "status", "total", "done", "detail", "startedAt", "finishedAt" FROM "Job"
    WHERE "shop" = ${shop} AND "kind" = ${kind} ORDER BY "startedAt" DESC, "id" DESC LIMIT 1`;
  return row ?? null;
}

/** Jobs a previous process left running (it crashed or was stopped): start-up resumes them. */
export async function interruptedJobs(kind: JobKind) {
  return prisma.job.findMany({ where: { kind, status: "running" }, select: { id: true, shop: true } });
}

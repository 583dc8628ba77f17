import { prisma } from "~/db.server";

export type JobKind = "tier-recompute" | "order-import";

export async function createJob(shop: string, kind: JobKind, total: number, now: Date) {
  return prisma.job.create({ data: { shop, kind, status: "running", total, done: 0, startedAt: now } });
}

export async function updateJobProgress(shop: string, id: number, done: number) {
  await prisma.job.updateMany({ where: { shop, id }, data: { done } });
}

export async function finishJob(shop: string, id: number, status: "done" | "failed", now: Date, detail?: string) {
  await prisma.job.updateMany({ where: { shop, id }, data: { status, finishedAt: now, detail: detail ?? null } });
}

export async function latestJob(shop: string, kind: JobKind) {
  return prisma.job.findFirst({ where: { shop, kind }, orderBy: [{ startedAt: "desc" }, { id: "desc" }] });
}

/** Jobs a previous process left running (it crashed or was stopped): start-up resumes them. */
export async function interruptedJobs(kind: JobKind) {
  return prisma.job.findMany({ where: { kind, status: "running" }, select: { id: true, shop: true } });
}

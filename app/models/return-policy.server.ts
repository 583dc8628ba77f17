import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { inTransaction } from "./transaction.server";

/**
 * The return policy's rows: its saved versions (ReturnPolicyVersion) and its publication state
 * (ReturnPolicyPublication). Settings are JSON text here; the service validates them with the domain schema.
 */
export interface StoredPolicyVersion {
  version: number;
  settings: string;
  savedBy: string | null;
  savedAt: Date;
}

interface PolicyVersionStamp {
  version: number;
  savedAt: Date;
}

/** The newest version, or null when the shop never saved a policy. */
export async function latestPolicyVersion(shop: string): Promise<StoredPolicyVersion | null> {
  return prisma.returnPolicyVersion.findFirst({
    where: { shop },
    orderBy: { version: "desc" },
    select: { version: true, settings: true, savedBy: true, savedAt: true },
  });
}

/** The newest `limit` versions, newest first, and how many there are in all. */
export async function recentPolicyVersions(shop: string, limit: number): Promise<{ versions: StoredPolicyVersion[]; total: number }> {
  const [versions, total] = await Promise.all([
    prisma.returnPolicyVersion.findMany({
      where: { shop },
      orderBy: { version: "desc" },
      take: limit,
      select: { version: true, settings: true, savedBy: true, savedAt: true },
    }),
    prisma.returnPolicyVersion.count({ where: { shop } }),
  ]);
  return { versions, total };
}

/** Number and save time of every version (no settings): enough to find the version in force of any order. */
export async function policyVersionStamps(shop: string): Promise<PolicyVersionStamp[]> {
  return prisma.returnPolicyVersion.findMany({ where: { shop }, orderBy: { version: "asc" }, select: { version: true, savedAt: true } });
}

/** The versions numbered `versions`, in any order; unknown numbers are left out. */
export async function policyVersionsByNumber(shop: string, versions: number[]): Promise<StoredPolicyVersion[]> {
  if (versions.length === 0) return [];
  return prisma.returnPolicyVersion.findMany({
    where: { shop, version: { in: [...new Set(versions)] } },
    select: { version: true, settings: true, savedBy: true, savedAt: true },
  });
}

type AppendResult = { created: true; version: StoredPolicyVersion } | { created: false; version: StoredPolicyVersion };

/**
 * Appends `settings` as the next version unless `sameAsLatest(latest.settings)` says the newest version already
 * holds them. One transaction that first takes the shop's return-policy advisory lock: concurrent saves (several
 * staff pages, several app instances) run one after the other, each reading the newest version committed before it
 * (READ COMMITTED), so none can take the same number or miss an equal save just made.
 */
export async function appendPolicyVersion(
  shop: string,
  settings: string,
  sameAsLatest: (latestSettings: string) => boolean,
  savedBy: string | null,
  savedAt: Date,
): Promise<AppendResult> {
  return inTransaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${shop}::text || ' return policy', 0))`;
    const latest = await tx.returnPolicyVersion.findFirst({
      where: { shop },
      orderBy: { version: "desc" },
      select: { version: true, settings: true, savedBy: true, savedAt: true },
    });
    if (latest && sameAsLatest(latest.settings)) return { created: false as const, version: latest };
    const created = await tx.returnPolicyVersion.create({
      data: { shop, version: (latest?.version ?? 0) + 1, settings, savedBy, savedAt },
      select: { version: true, settings: true, savedBy: true, savedAt: true },
    });
    return { created: true as const, version: created };
  });
}

export interface StoredPublication {
  version: number | null;
  publishedAt: Date | null;
  body: string | null;
  locale: string | null;
  summaries: string | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  shopifyBody: string | null;
  shopifyUpdatedAt: Date | null;
  shopifyReadAt: Date | null;
  /** JSON: Shopify's return rules as last read (domain/returns/shopify-rules.ts); null if never. */
  shopifyReturnRules: string | null;
}

export async function findPolicyPublication(shop: string): Promise<StoredPublication | null> {
  return prisma.returnPolicyPublication.findUnique({ where: { shop }, omit: { shop: true } });
}

/**
 * Shopify's copy of the refund policy as just read (null body: the shop has none), and its return rules as JSON
 * when they were read with it (undefined: not read this time, the stored ones stay).
 */
interface ShopifyCopy {
  body: string | null;
  updatedAt: Date | null;
  readAt: Date;
  returnRules?: string | null;
}

const copyFields = (copy: ShopifyCopy) => ({
  shopifyBody: copy.body,
  shopifyUpdatedAt: copy.updatedAt,
  shopifyReadAt: copy.readAt,
  ...(copy.returnRules !== undefined ? { shopifyReturnRules: copy.returnRules } : {}),
});

/** A successful publish: what was sent and when; clears the last error; Shopify's copy is what it answered. */
export async function storePolicyPublished(
  shop: string,
  published: { version: number; publishedAt: Date; body: string; locale: string; summaries: string },
  copy: ShopifyCopy,
): Promise<void> {
  const data = { ...published, lastError: null, lastErrorAt: null, ...copyFields(copy) };
  await prisma.returnPolicyPublication.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

/** A failed publish: what was published before stays; the reason is kept. */
export async function storePolicyPublishError(shop: string, message: string, at: Date): Promise<void> {
  const data = { lastError: message, lastErrorAt: at };
  await prisma.returnPolicyPublication.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

/** An unchanged copy is stamped as read again at most this often. */
const READ_STAMP_MS = 60 * 60 * 1000;

/**
 * Records Shopify's copy as read on a page load. Writes when the copy changed since the stored one, or none was
 * stored, or the stored read is over an hour old: most page loads cost no write, and "last read" stays within the hour.
 */
export async function storeShopifyCopy(shop: string, copy: ShopifyCopy, known: StoredPublication | null): Promise<void> {
  if (
    known?.shopifyReadAt &&
    copy.readAt.getTime() - known.shopifyReadAt.getTime() < READ_STAMP_MS &&
    known.shopifyBody === copy.body &&
    (known.shopifyUpdatedAt?.getTime() ?? null) === (copy.updatedAt?.getTime() ?? null) &&
    (copy.returnRules === undefined || known.shopifyReturnRules === copy.returnRules)
  ) {
    return;
  }
  try {
    await prisma.returnPolicyPublication.upsert({ where: { shop }, create: { shop, ...copyFields(copy) }, update: copyFields(copy) });
  } catch (error) {
    // Two page loads creating the row at once: the other one stored the same copy.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
  }
}

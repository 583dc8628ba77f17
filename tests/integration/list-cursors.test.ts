import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { readSql } from "~/db.server";
import { encodeJsonCursor, MAX_INT_ID } from "~/domain/cursor";
import { listFollowUps, listMarkCandidates } from "~/models/followups.server";
import { listSurveyResponses } from "~/models/survey-responses.server";
import { listPrivacyRequests } from "~/services/privacy-requests.server";

/**
 * Every (instant, id) list reads its cursor through app/domain/cursor.ts, so a cursor the database could not compare
 * never reaches it: each list answers a well-formed but impossible cursor with its first page, not a database error.
 */
const SHOP = "list-cursors.myshopify.com";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

const HOSTILE: [string, string][] = [
  ["an id past integer", b64(`1730000000000:${MAX_INT_ID + 1}`)],
  ["an id of fifteen digits (read before as a number, then refused by ::int)", b64("1730000000000:999999999999999")],
  ["another list's JSON", encodeJsonCursor([8.64e15 + 1, 2 ** 53])],
  ["garbage", "not-a-cursor"],
  ["overlong", "a".repeat(10_000)],
];

describe("list cursors the database cannot compare", () => {
  it("would be refused by the database: an id past integer", async () => {
    await expect(readSql().$queryRaw(Prisma.sql`SELECT ${MAX_INT_ID + 1}::int`)).rejects.toThrow();
  });

  it.each(HOSTILE)("%s: every list reads its first page", async (_what, cursor) => {
    const page = { limit: 5 };
    await expect(listFollowUps(SHOP, {}, { ...page, after: cursor })).resolves.toMatchObject({ rows: [], pageInfo: { hasPrevious: false } });
    await expect(listFollowUps(SHOP, {}, { ...page, before: cursor })).resolves.toMatchObject({ rows: [], pageInfo: { hasNext: false } });
    const band = { npsFrom: 7, npsTo: 10, csatAbove: 2, cesAbove: 3 };
    await expect(listMarkCandidates(SHOP, band, { ...page, after: cursor })).resolves.toMatchObject({ rows: [] });
    await expect(listSurveyResponses(SHOP, { cursor })).resolves.toEqual({ rows: [], nextCursor: null });
    for (const direction of ["after", "before"]) {
      await expect(listPrivacyRequests(SHOP, new URLSearchParams({ [direction]: cursor }))).resolves.toMatchObject({
        requests: [],
        pageInfo: { hasNext: false, hasPrevious: false },
      });
    }
  });
});

import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { isLostWriteRace, isUniqueViolation } from "./survey-responses.server";

/** What another instance's concurrent first answer looks like when it reaches recordSurveyAnswer's retry. */
const sqliteError = (code: string) => Object.assign(new Error(code), { code });
const prismaError = (code: string) => new Prisma.PrismaClientKnownRequestError(code, { code, clientVersion: "6.19.0" });

describe("isUniqueViolation / isLostWriteRace (which failures recordSurveyAnswer runs again)", () => {
  it.each([
    { what: "Prisma's unique violation (P2002)", error: prismaError("P2002"), unique: true, race: true },
    { what: "Prisma's other known errors (P2025: not found)", error: prismaError("P2025"), unique: false, race: false },
    { what: "a P2002 code on an error that is not Prisma's", error: sqliteError("P2002"), unique: false, race: false },
    { what: "better-sqlite3's unique violation", error: sqliteError("SQLITE_CONSTRAINT_UNIQUE"), unique: true, race: true },
    { what: "better-sqlite3's primary key violation (another constraint)", error: sqliteError("SQLITE_CONSTRAINT_PRIMARYKEY"), unique: false, race: false },
    { what: "a code that only ends like a unique violation", error: sqliteError("X_SQLITE_CONSTRAINT_UNIQUE"), unique: false, race: false },
    { what: "SQLite's stale read snapshot (another connection committed after our read)", error: sqliteError("SQLITE_BUSY_SNAPSHOT"), unique: false, race: true },
    { what: "SQLite busy (a lock held too long): not a lost race", error: sqliteError("SQLITE_BUSY"), unique: false, race: false },
    { what: "a plain error", error: new Error("disk I/O error"), unique: false, race: false },
    { what: "an error code as a bare string", error: "SQLITE_BUSY_SNAPSHOT", unique: false, race: false },
    { what: "null", error: null, unique: false, race: false },
    { what: "undefined", error: undefined, unique: false, race: false },
  ])("$what: unique violation $unique, lost race $race", ({ error, unique, race }) => {
    expect(isUniqueViolation(error)).toBe(unique);
    expect(isLostWriteRace(error)).toBe(race);
  });
});

import { describe, expect, it } from "vitest";
import {
  checkAnswerWrite,
  guestFillsOnly,
  isOutsideWindow,
  parseAnswerWindowDays,
  PENDING_ANSWER_TTL_MS,
  pendingAnswerFate,
  tokenCustomer,
  type AnswerWriteInput,
  type AnswerWriteRefusal,
} from "./answer-integrity";

const NOW = new Date("2026-12-01T12:00:00Z");
const DAY = 24 * 3600_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
const ADA = "601";
const GRACE = "602";

describe("tokenCustomer: a customer GID names that customer; anything else is a guest", () => {
  it.each([
    [undefined, null],
    [null, null],
    ["", null],
    ["gid://shopify/Customer/601", "601"],
    ["gid://shopify/Customer/18446744073709551615", "18446744073709551615"],
    ["gid://shopify/Customer/", null],
    ["gid://shopify/StaffMember/1", null],
    ["601", null],
    ["gid://shopify/Customer/601\n", null],
    [601, null],
    ["xgid://shopify/Customer/601", null],
    // not a string, though its text is a customer GID: still a guest
    [["gid://shopify/Customer/601"], null],
  ])("%j → %j", (sub, expected) => {
    expect(tokenCustomer(sub)).toBe(expected);
  });
});

describe("guestFillsOnly: a guest's write to an existing set may only fill its blanks", () => {
  it.each([
    ["a guest, a set exists", { customerId: null }, { tokenCustomerId: null }, true],
    ["a guest, a customer's set exists", { customerId: null }, { tokenCustomerId: ADA }, true],
    ["a guest, first answer", { customerId: null }, null, false],
    ["a customer, a set exists", { customerId: ADA }, { tokenCustomerId: ADA }, false],
    ["the app itself", null, { tokenCustomerId: null }, false],
  ] as const)("%s → %s", (_label, writer, existing, expected) => {
    expect(guestFillsOnly(writer, existing)).toBe(expected);
  });
});

describe("checkAnswerWrite", () => {
  const order = (customerId: string | null, placed = daysAgo(1)) => ({ customerId, placedAt: placed });
  const answered = (tokenCustomerId: string | null) => ({ tokenCustomerId });
  const cases: Array<[string, Omit<AnswerWriteInput, "windowDays" | "now">, AnswerWriteRefusal | null]> = [
    ["the order's customer creates", { writer: { customerId: ADA }, order: order(ADA), existing: null }, null],
    ["the order's customer replaces", { writer: { customerId: ADA }, order: order(ADA), existing: answered(null) }, null],
    ["another customer creates", { writer: { customerId: GRACE }, order: order(ADA), existing: null }, "not-owner"],
    ["another customer replaces", { writer: { customerId: GRACE }, order: order(ADA), existing: answered(ADA) }, "not-owner"],
    ["a customer answers a guest order", { writer: { customerId: ADA }, order: order(null), existing: null }, "not-owner"],
    ["a guest creates on a customer's order", { writer: { customerId: null }, order: order(ADA), existing: null }, null],
    // A guest writing to an existing set passes here and may then only fill its blanks (guestFillsOnly, below).
    ["a guest writes to an existing set", { writer: { customerId: null }, order: order(ADA), existing: answered(null) }, null],
    ["a guest creates for an unknown order", { writer: { customerId: null }, order: null, existing: null }, null],
    ["a guest writes to a pending set", { writer: { customerId: null }, order: null, existing: answered(null) }, null],
    ["a customer creates for an unknown order", { writer: { customerId: ADA }, order: null, existing: null }, null],
    ["the same customer replaces their pending answer", { writer: { customerId: ADA }, order: null, existing: answered(ADA) }, null],
    ["another customer replaces a pending answer", { writer: { customerId: GRACE }, order: null, existing: answered(ADA) }, "not-owner"],
    ["a customer replaces a guest's pending answer", { writer: { customerId: ADA }, order: null, existing: answered(null) }, "not-owner"],
    ["the app itself replaces", { writer: null, order: order(ADA), existing: answered(GRACE) }, null],
    ["the order is older than the window", { writer: { customerId: ADA }, order: order(ADA, daysAgo(91)), existing: null }, "too-old"],
    ["the order is exactly at the window", { writer: { customerId: ADA }, order: order(ADA, daysAgo(90)), existing: null }, null],
    ["the app itself, old order", { writer: null, order: order(ADA, daysAgo(91)), existing: null }, "too-old"],
    ["another customer, old order: ownership first", { writer: { customerId: GRACE }, order: order(ADA, daysAgo(91)), existing: null }, "not-owner"],
  ];
  it.each(cases)("%s", (_label, input, expected) => {
    expect(checkAnswerWrite({ ...input, windowDays: 90, now: NOW })).toBe(expected);
  });
});

describe("pendingAnswerFate", () => {
  it.each([
    ["the token's customer's order", ADA, ADA, 1, 0, "confirm"],
    ["a guest's answer, any customer", null, GRACE, 1, 0, "confirm"],
    ["a guest's answer, guest order", null, null, 1, 0, "confirm"],
    ["another customer's order", ADA, GRACE, 1, 0, "other-customer"],
    ["a guest order for a customer's token", ADA, null, 1, 0, "other-customer"],
    ["placed 95 days before the answer", ADA, ADA, 95, 0, "too-old"],
    ["placed 95 days ago, answered 10 days after placing", ADA, ADA, 95, 85, "confirm"],
  ] as const)("%s → %s", (_label, token, customer, placedDaysAgo, answeredDaysAgo, fate) => {
    expect(
      pendingAnswerFate({ tokenCustomerId: token, order: { customerId: customer, placedAt: daysAgo(placedDaysAgo) }, answeredAt: daysAgo(answeredDaysAgo), windowDays: 90 }),
    ).toBe(fate);
  });
});

describe("isOutsideWindow", () => {
  it("is strictly after the window's end; an answer before the order's time is inside", () => {
    expect(isOutsideWindow(daysAgo(90), NOW, 90)).toBe(false);
    expect(isOutsideWindow(new Date(daysAgo(90).getTime() - 1), NOW, 90)).toBe(true);
    expect(isOutsideWindow(new Date(NOW.getTime() + DAY), NOW, 1)).toBe(false);
  });
});

describe("pending answers", () => {
  it("wait at most 72 hours for their order", () => {
    expect(PENDING_ANSWER_TTL_MS).toBe(72 * 3600_000);
  });
});

describe("parseAnswerWindowDays", () => {
  it.each([
    ["90", { ok: true, days: 90 }],
    [" 1 ", { ok: true, days: 1 }],
    ["365", { ok: true, days: 365 }],
    [30, { ok: true, days: 30 }],
  ] as const)("accepts %j", (input, expected) => {
    expect(parseAnswerWindowDays(input)).toEqual(expected);
  });
  it.each(["0", "366", "1.5", "-3", "", "abc", "1e2", "0090", null, 12.5, Number.NaN])("refuses %j with a reason", (input) => {
    expect(parseAnswerWindowDays(input)).toEqual({ ok: false, error: "Enter a whole number of days from 1 to 365" });
  });
});

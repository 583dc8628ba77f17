import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { formatLogLine, log } from "~/logger.server";
import { assertLogsFreeOfPii, collectFixtureTexts, fixtureNeedles, fixtureNeedlesOf, scanLogLines } from "./log-scan";
import { ROOT } from "./paths";

/** The scanner that guards the whole run's logs (global teardown) must be able to fail: planted lines prove it. */
const needles = fixtureNeedlesOf(ROOT);
const line = (fields: Record<string, string | number | null>) => formatLogLine("info", "webhook applied", fields, new Date("2026-11-29T10:00:00.123Z"));

describe("collectFixtureTexts", () => {
  it("finds the names, emails, phones and comments the fixtures use, also in template literals", () => {
    const texts = collectFixtureTexts(ROOT);
    expect(texts).toEqual(expect.arrayContaining(["Ada", "Lovelace", "ada@example.com", "Grace", "Hopper", "the parcel came late and crushed", "guest loved the gift wrap", 'Love it, will "definitely" buy again,\nthanks!', "Called.\r\nSending a new size."]));
  });
});

describe("scanLogLines", () => {
  it("passes the lines the app writes: ids, topics, counts, durations, timestamps, UUIDs", () => {
    const clean = [
      line({ shop: "a-shop.myshopify.com", topic: "orders/create", webhookId: randomUUID(), outcome: "ok" }),
      line({ shop: "a-shop.myshopify.com", customerId: "7000000099", orders: 3, dataRequestId: "880099", ms: 1234 }),
      formatLogLine("warn", "webhook payload rejected", { reason: "customer.id: invalid_union; created_at: Invalid datetime" }),
      formatLogLine("error", "outbox message failed", { error: "tagsAdd: HTTP 503 Service Unavailable", attempts: 10, delayMs: 30000 }),
    ];
    expect(scanLogLines(clean, needles)).toEqual([]);
  });

  it.each([
    ["an email address", line({ email: "planted.shopper@example.org" }), "email address"],
    ["an email inside a message", formatLogLine("warn", "could not reach jane.doe+shop@mail.example.co.uk"), "email address"],
    ["an international phone number", line({ note: "call +44 20 7946 0958" }), "phone number"],
    ["a North American phone number", line({ contact: "(613) 555-0142" }), "phone number"],
    ["a local phone number", line({ comment: "Call me on 555-0100" }), "phone number"],
    ["a fixture's name", line({ customer: "Ada Lovelace" }), 'fixture text "Lovelace"'],
    ["a fixture's comment text", line({ text: "XYZ the parcel came late and crushed" }), 'fixture text "the parcel came late and crushed"'],
    ["PII in a field name", formatLogLine("info", "x", { "ada@example.com": 1 }), "email address"],
    ["a line that is not JSON", "customer Grace Hopper said hello", 'fixture text "Grace"'],
  ])("flags %s", (_label, planted, rule) => {
    const findings = scanLogLines([line({ shop: "a.myshopify.com" }), planted], needles, "planted.jsonl");
    expect(findings.map((f) => [f.file, f.line, f.rule])).toContainEqual(["planted.jsonl", 2, rule]);
  });

  it("does not take a fixture word the app itself uses for a name", () => {
    // "Customer" is a fixture last name, but also a word of the app's own messages: it identifies no one.
    const withApp = fixtureNeedles(["Customer", "Lovelace"], 'const label = "Customer not found";');
    expect(withApp.map((n) => n.rule)).toEqual(['fixture text "Lovelace"']);
  });
});

describe("assertLogsFreeOfPii (the global teardown's check)", () => {
  const runDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-logs-"));

  it("throws, naming file, line and rule, when one captured line carries PII", () => {
    const dir = runDir();
    fs.writeFileSync(path.join(dir, "1.jsonl"), `${line({ shop: "a.myshopify.com" })}\n`);
    fs.writeFileSync(path.join(dir, "2.jsonl"), `${line({ shop: "a.myshopify.com" })}\n${line({ email: "planted@example.com" })}\n`);
    expect(() => assertLogsFreeOfPii(dir, ROOT)).toThrow(/2\.jsonl:2 email address: "planted@example\.com"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("passes clean captures", () => {
    const dir = runDir();
    fs.writeFileSync(path.join(dir, "1.jsonl"), `${line({ shop: "a.myshopify.com", customerId: "501" })}\n`);
    expect(assertLogsFreeOfPii(dir, ROOT)).toEqual({ files: 1, lines: 1 });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("the capture", () => {
  it("receives every line the logger produces in tests, also the ones a quiet run does not print", () => {
    const probe = randomUUID();
    log.debug("log capture check", { probe });
    const captured = fs.readFileSync(path.join(inject("logDir"), `${process.pid}.jsonl`), "utf8");
    expect(captured).toContain(`"probe":"${probe}"`);
  });
});

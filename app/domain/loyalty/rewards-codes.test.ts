import { describe, expect, it } from "vitest";
import { isRewardCode, newRewardCode } from "./rewards";

describe("isRewardCode", () => {
  it("recognises every code newRewardCode makes", () => {
    for (let i = 0; i < 500; i++) expect(isRewardCode(newRewardCode())).toBe(true);
    expect(isRewardCode("AG-0000-ZZZZ")).toBe(true);
  });

  it.each([
    ["lower case — orders' codes are compared in capitals", "ag-7k3m-q9tx"],
    ["a letter outside Crockford's alphabet — I", "AG-7K3I-Q9TX"],
    ["a letter outside Crockford's alphabet — L", "AG-7K3L-Q9TX"],
    ["a letter outside Crockford's alphabet — O", "AG-7K3O-Q9TX"],
    ["a letter outside Crockford's alphabet — U", "AG-7K3U-Q9TX"],
    ["another prefix", "AF-7K3M-Q9TX"],
    ["a merchant's code", "SPRING30"],
    ["a group too short", "AG-7K3-Q9TX"],
    ["a group too long", "AG-7K3M-Q9TXX"],
    ["text around it", " AG-7K3M-Q9TX"],
    ["text after it", "AG-7K3M-Q9TX-1"],
    ["empty", ""],
  ])("refuses %s", (_, code) => {
    expect(isRewardCode(code)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { currencyExponent } from "../money";
import { bandOfBucket, CURRENCY_EXPONENTS, VALUE_BANDS, valueBandEdgesMinor, VALUE_EDGES_MINOR } from "./value-bands";

// Buckets of CxDaily's order value segments: bucket i holds totals in [edge i-1, edge i).
describe("bandOfBucket", () => {
  const usd = [5000, 10000, 25000]; // 50 / 100 / 250 dollars in cents
  const jpy = [50, 100, 250];
  const kwd = [50000, 100000, 250000];
  it.each([
    [0, usd, 0],
    [3, usd, 0], // 2.50–49.99
    [4, usd, 1], // 50–99.99
    [5, usd, 2], // 100–249.99
    [6, usd, 3], // 250–499.99
    [9, usd, 3], // 2,500 and more
    [0, jpy, 0],
    [1, jpy, 1], // ¥50–99
    [3, jpy, 3], // ¥250–4,999
    [6, kwd, 0], // 0.250–0.499 KWD
    [7, kwd, 1],
    [9, kwd, 3],
  ])("bucket %i against %j is band %i", (bucket, bands, band) => {
    expect(bandOfBucket(bucket, bands)).toBe(band);
  });

  it("refuses band edges that are not bucket edges (a bucket would straddle two bands)", () => {
    expect(() => bandOfBucket(4, [7500])).toThrow(/not a bucket edge/);
    expect(VALUE_EDGES_MINOR).toEqual([...VALUE_EDGES_MINOR].sort((a, b) => a - b));
  });
});

describe("the value bands", () => {
  it("are 50 / 100 / 250 whole units, and the buckets every band edge of a currency with 0, 2 or 3 decimals", () => {
    expect(VALUE_BANDS).toEqual([50, 100, 250]);
    expect(valueBandEdgesMinor(0)).toEqual([50, 100, 250]);
    expect(valueBandEdgesMinor(2)).toEqual([5000, 10000, 25000]);
    expect(valueBandEdgesMinor(3)).toEqual([50000, 100000, 250000]);
    expect(VALUE_EDGES_MINOR).toEqual([50, 100, 250, 5000, 10000, 25000, 50000, 100000, 250000]);
  });

  it("cover every currency's decimals, so any shop's band edges are bucket edges", () => {
    const codes = [...Intl.supportedValuesOf("currency"), "usd", "XXX", ""];
    for (const code of codes) {
      const exponent = currencyExponent(code);
      expect(CURRENCY_EXPONENTS, code).toContain(exponent);
      for (const edge of valueBandEdgesMinor(exponent)) expect(VALUE_EDGES_MINOR, code).toContain(edge);
    }
  });
});

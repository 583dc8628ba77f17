import { describe, expect, it } from "vitest";
import { bundleName, parseTargets } from "./build-extension.mjs";

describe("build-extension: targets from shopify.extension.toml", () => {
  it("reads every [[extensions.targeting]] table's target and module, and names the bundle after the module", () => {
    const toml = [
      'api_version = "2026-04"',
      "[[extensions]]",
      'name = "X"',
      'type = "ui_extension"',
      "[[extensions.targeting]]",
      'target = "customer-account.page.render"',
      'module = "./src/RewardsPage.tsx"',
      "[[extensions.targeting]]",
      'module = "./src/ProfileBlock.tsx"',
      'target = "customer-account.profile.block.render"',
      "[extensions.capabilities]",
      'target = "not-a-target"',
    ].join("\n");
    expect(parseTargets(toml)).toEqual([
      { target: "customer-account.page.render", entry: "src/RewardsPage.tsx", out: "rewards-page.js" },
      { target: "customer-account.profile.block.render", entry: "src/ProfileBlock.tsx", out: "profile-block.js" },
    ]);
  });

  it("refuses a targeting table without a module", () => {
    expect(() => parseTargets('[[extensions.targeting]]\ntarget = "purchase.thank-you.block.render"\n')).toThrow(/without target and module/);
  });

  it("keeps the survey's output names", () => {
    expect(bundleName("./src/ThankYou.tsx")).toBe("thank-you.js");
    expect(bundleName("./src/OrderStatus.tsx")).toBe("order-status.js");
  });
});

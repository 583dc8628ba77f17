import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "build-demo/", "node_modules/", "tmp/", "test-results/", "extensions/*/dist/", ".shopify/", ".node/", ".stryker-tmp*/", "reports/", "**/*.tmp.ts", "**/*.tmp.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "JSXOpeningElement[name.name='form']", message: "Use Remix <Form> or useFetcher in the embedded app." },
        { selector: "JSXOpeningElement[name.name='a']", message: "Use Remix or Polaris <Link> in the embedded app." },
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: "Render merchant and shopper text as text: React escapes it (tests/e2e/hostile-text.test.ts)." },
      ],
    },
  },
  {
    // Domain code is pure: no framework, database or Shopify imports (docs/architecture.md, layers).
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["@remix-run/*", "@prisma/*", "@shopify/*", "~/models/*", "~/services/*", "~/shopify/*", "*.server"] },
      ],
    },
  },
  {
    // Only models touch Prisma.
    files: ["app/routes/**", "app/components/**", "app/services/**", "app/demo/**", "app/webhooks/**"],
    rules: { "no-restricted-imports": ["error", { paths: ["~/db.server", "@prisma/client"] }] },
  },
  {
    // Only models touch Prisma; the Shopify layer sits below services and the webhook topic table, and calls neither.
    files: ["app/shopify/**"],
    rules: { "no-restricted-imports": ["error", { paths: ["~/db.server", "@prisma/client"], patterns: ["~/services/*", "~/webhooks/*", "~/routes/*"] }] },
  },
  {
    // shopify.server.ts builds the Shopify client for every layer above it: it calls no service (install hooks are
    // registered by app/entry.server.tsx).
    files: ["app/shopify.server.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["./services/*", "~/services/*", "./webhooks/*", "~/webhooks/*", "./routes/*", "~/routes/*"] }] },
  },
);

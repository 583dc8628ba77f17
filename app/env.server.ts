import { z } from "zod";

/**
 * The app's environment, read and validated once. Import `env` instead of touching `process.env`.
 * Fails fast at start-up with one message naming every bad variable.
 */
const DEMO_DEFAULTS = {
  SHOPIFY_API_KEY: "afterglow-demo-api-key",
  SHOPIFY_API_SECRET: "afterglow-demo-api-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:3000",
} as const;

export const DEFAULT_SCOPES = "read_orders,read_products,read_customers,write_customers,write_legal_policies,write_discounts";

const BaseSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id from the Partner Dashboard)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
  SHOPIFY_APP_URL: z.string().url("must be the public https URL the app is served from"),
  SCOPES: z.string().min(1).default(DEFAULT_SCOPES),
  DATABASE_URL: z
    .string({ required_error: "is required: a postgresql:// URL (npm run demo, npm run dev and npm test start their own database)" })
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
  /** Connections per app process (the main pool; the read pool gets half as many). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  AFTERGLOW_DEMO: z.enum(["0", "1", ""]).optional(),
  /** "1" lets the test seams below be set: the fault suite's switch (tests/faults/support/server.ts). Off otherwise. */
  AFTERGLOW_FAULT_TESTING: z.enum(["0", "1", ""]).optional(),
});

/**
 * Test seams of the production build, for the fault suite (tests/faults) and the benchmark's import measure
 * (bench/lib/import.mjs); the list with what each one changes is in docs/architecture.md, "Test seams". Each one
 * does nothing unless its variable is set, and start-up refuses any of them unless AFTERGLOW_FAULT_TESTING=1 is set
 * too, whatever NODE_ENV says: a deployment can never talk to a stub or run on shrunk timings by accident. A seam
 * added here is refused the same way.
 */
const TestSeamsSchema = z.object({
  /** Sends Admin API requests (https://<shop>/admin/…) to this loopback origin instead (a stub server). */
  AFTERGLOW_TEST_ADMIN_API_ORIGIN: z
    .string()
    .url()
    .refine((value) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(value), "must be http://127.0.0.1:<port>")
    .optional(),
  /** Multiplies the outbox worker's interval, backoff, call timeout and lease, and the job lease (e.g. 0.02), so retries and takeovers happen in seconds. */
  AFTERGLOW_TEST_TIME_SCALE: z.coerce.number().gt(0).max(1).optional(),
});

/** The names of the test seams' variables. */
export const TEST_SEAMS = Object.keys(TestSeamsSchema.shape) as (keyof z.infer<typeof TestSeamsSchema>)[];

const EnvSchema = BaseSchema.merge(TestSeamsSchema);

type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * Validates `source` for a build. `demoBuild` is the compile-time flag: the demo can only be switched on in a
 * demo build, and a demo build only ever listens on loopback.
 */
export function parseEnv(source: Record<string, string | undefined>, demoBuild: boolean): Env {
  const demoRequested = source.AFTERGLOW_DEMO === "1";
  if (demoRequested && !demoBuild) {
    throw new EnvError(
      "AFTERGLOW_DEMO=1 is set, but this is a production build. The demo exists only in the demo build (`npm run demo`); refusing to start.",
    );
  }
  const input = demoBuild ? { ...DEMO_DEFAULTS, ...stripEmpty(source) } : source;
  const result = EnvSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment, refusing to start:\n${lines.join("\n")}`);
  }
  const seams = TEST_SEAMS.filter((name) => result.data[name] !== undefined);
  if (seams.length && result.data.AFTERGLOW_FAULT_TESTING !== "1") {
    throw new EnvError(
      `${seams.join(" and ")} ${seams.length > 1 ? "are test seams" : "is a test seam"}, honoured only with AFTERGLOW_FAULT_TESTING=1 (the fault suite's switch); refusing to start.`,
    );
  }
  if (demoBuild && result.data.HOST !== undefined && !LOOPBACK.has(result.data.HOST)) {
    throw new EnvError(`The demo listens on loopback only; HOST=${result.data.HOST} is refused.`);
  }
  return result.data;
}

function stripEmpty(source: Record<string, string | undefined>) {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
}

export const env: Env = parseEnv(process.env, __AFTERGLOW_DEMO_BUILD__);

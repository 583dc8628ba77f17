import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { env } from "~/env.server";
import { errorName, log } from "~/logger.server";
import {
  advanceStage,
  BULK_MESSAGE_PAGE,
  BULK_MIRROR_MAX_CUSTOMERS,
  BULK_MIRROR_MIN_CUSTOMERS,
  BULK_MIRROR_STAGES,
  bulkMessagePages,
  endMirrorFailed,
  leaseOpenMirror,
  recordMirrorCall,
  recordStageRunning,
  releaseMirror,
  settleBulkMessages,
  shopsWithBulkMirrorWork,
  startBulkMirror,
  countWaitingCustomers,
  type BulkMessage,
  type BulkMirror,
  type BulkMirrorStage,
} from "~/models/bulk-mirror.server";
import { INSTANCE_ID } from "~/models/jobs.server";
import { getShop } from "~/models/shops.server";
import { refreshTableStatistics } from "~/models/table-statistics.server";
import { AdminApiError, type AdminGraphql } from "~/shopify/admin-client.server";
import { adminGraphqlForShop } from "~/shopify/admin-for-shop.server";
import {
  BULK_CALL_COST,
  bulkMutationResults,
  bulkMutationStatus,
  BulkMutationRefused,
  runBulkMutation,
  stageBulkFile,
  type BulkResultLine,
} from "~/shopify/bulk-mutation.server";
import { bulkMirrorDocument, METAFIELDS_PER_CALL, queuedMetafields, userErrorOwners } from "~/shopify/customer-mirror.server";
import { userErrorsMessage, type AdminUserError } from "~/shopify/user-errors";

/**
 * Sends large mirror backlogs as Shopify bulk mutations (docs/decisions/033-bulk-mirror.md). Each run, for every shop
 * with mirror work: lease its open mirror, or start one when at least BULK_MIRROR_MIN_CUSTOMERS customers wait
 * (models/bulk-mirror.server.ts), and advance it: a stage being prepared is built from its messages (one JSON line per
 * customer for tags, up to 25 customers' metafields per line), uploaded and submitted; a running stage is polled, and
 * when it is COMPLETED its result file is read and each message delivered, failed (Shopify's userErrors, kept for the
 * merchant like any outbox failure) or given back to the per-customer path; then the next stage is submitted at once.
 * A FAILED, CANCELED or EXPIRED operation gives the mirror's remaining messages back to the per-customer path.
 *
 * Why tagsRemove and tagsAdd and not customerUpdate: customerUpdate's `tags` replaces all of a customer's tags, the
 * merchant's own included. Per customer the tag calls queued are reduced to their net effect (the last call on each
 * tag wins), so that running all removes, then all adds, ends with the tags the per-customer path would have left.
 */
const TIME_SCALE = env.AFTERGLOW_TEST_TIME_SCALE ?? 1;
/** A mirror is leased this long per run; a run takes seconds (one upload, one call, or one result file read). */
const LEASE_MS = Math.max(50, Math.round(5 * 60 * 1000 * TIME_SCALE));
const MAX_ERROR_LENGTH = 300;

interface BulkMirrorReport {
  started: number;
  submitted: number;
  completed: number;
  failed: number;
  delivered: number;
  failedMessages: number;
  returned: number;
}

interface RunOptions {
  now: Date;
  owner: string;
  graphqlFor: (shop: string) => Promise<AdminGraphql>;
  minCustomers: number;
  maxCustomers: number;
  /** Messages per page when a stage is planned (bulkMessagePages). */
  pageSize: number;
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_ERROR_LENGTH ? `${oneLine.slice(0, MAX_ERROR_LENGTH - 1)}…` : oneLine;
}

/** One JSONL line of a stage: its variables and the messages it settles. */
interface PlannedLine {
  variables: Record<string, unknown>;
  /** Messages settled by this line's outcome. For metafields, `counts[i]` metafields of message i, in order. */
  messages: { id: number; operation: string; metafields: number }[];
}

const stringsOf = (value: unknown) => (Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : []);

/** A line that goes to Shopify; a tag line without tags only carries messages settled with nothing to send. */
const isSent = (stage: BulkMirrorStage, line: PlannedLine) => stage === "metafieldsSet" || stringsOf(line.variables.tags).length > 0;

/** The mirror's tag messages (settled ones too), one customer's at a time, in customer order. */
async function* tagMessagesByCustomer(mirror: BulkMirror, pageSize: number): AsyncGenerator<BulkMessage[]> {
  let customer: BulkMessage[] = [];
  for await (const page of bulkMessagePages(mirror.shop, mirror.id, ["tagsRemove", "tagsAdd"], true, pageSize)) {
    for (const message of page) {
      if (customer.length && customer[0]!.subjectId !== message.subjectId) {
        yield customer;
        customer = [];
      }
      customer.push(message);
    }
  }
  if (customer.length) yield customer;
}

/**
 * A customer's line of a tag stage, from all their tag calls in the mirror (settled ones too, so the plan is the
 * same at both stages) reduced per tag to the last call on it: the line carries the tags whose last call is the
 * stage's operation. A message is settled by the stage of its tags' last calls (the tagsAdd stage when some of them
 * end added). Null when none of the customer's open messages settles at this stage.
 */
function tagStageLine(stage: "tagsRemove" | "tagsAdd", messages: readonly BulkMessage[]): PlannedLine | null {
  const finals = new Map<string, string>();
  for (const message of messages) for (const tag of stringsOf(message.variables.tags)) finals.set(tag, message.operation);
  let line: PlannedLine | null = null;
  for (const message of messages) {
    if (!message.open) continue;
    const ends = new Set(stringsOf(message.variables.tags).map((tag) => finals.get(tag)));
    const settledHere = stage === "tagsAdd" ? ends.has("tagsAdd") : !ends.has("tagsAdd");
    if (!settledHere) continue;
    line ??= {
      variables: { id: message.subjectId, tags: [...finals].filter(([, operation]) => operation === stage).map(([tag]) => tag) },
      messages: [],
    };
    line.messages.push({ id: message.id, operation: message.operation, metafields: 0 });
  }
  return line;
}

/** The lines of the metafield stage: up to 25 metafields (different customers) per line, in customer order. */
async function* metafieldStageLines(mirror: BulkMirror, pageSize: number): AsyncGenerator<PlannedLine> {
  let line: PlannedLine | null = null;
  let count = 0;
  for await (const page of bulkMessagePages(mirror.shop, mirror.id, ["metafieldsSet"], false, pageSize)) {
    for (const message of page) {
      const metafields = queuedMetafields(message.variables);
      if (line && count + metafields.length > METAFIELDS_PER_CALL) {
        yield line;
        line = null;
      }
      if (!line) {
        line = { variables: { metafields: [] }, messages: [] };
        count = 0;
      }
      (line.variables.metafields as unknown[]).push(...metafields);
      line.messages.push({ id: message.id, operation: message.operation, metafields: metafields.length });
      count += metafields.length;
    }
  }
  if (line) yield line;
}

/**
 * The lines of the mirror's current stage, sent ones and those with nothing to send, in the same order every time
 * while the stage is open (nothing in the mirror changes between its submission and its settlement). Read from the
 * database a page at a time: memory holds a page and a customer, whatever the size of the mirror.
 */
async function* stageLines(mirror: BulkMirror, pageSize: number): AsyncGenerator<PlannedLine> {
  if (mirror.stage === "metafieldsSet") {
    yield* metafieldStageLines(mirror, pageSize);
    return;
  }
  for await (const messages of tagMessagesByCustomer(mirror, pageSize)) {
    const line = tagStageLine(mirror.stage, messages);
    if (line) yield line;
  }
}

const nextStage = (stage: BulkMirrorStage): BulkMirrorStage | null => BULK_MIRROR_STAGES[BULK_MIRROR_STAGES.indexOf(stage) + 1] ?? null;

/** Stands for "no userErrors" in every line's entry of `readResults`, so a clean line costs no allocation. */
const NO_USER_ERRORS: readonly AdminUserError[] = Object.freeze([]);

/**
 * The userErrors of each line of a completed stage, by line number: lines without a result, with GraphQL errors or
 * without a payload are absent (not known to be done).
 */
async function readResults(stage: BulkMirrorStage, url: string | null): Promise<Map<number, readonly AdminUserError[]>> {
  const results = new Map<number, readonly AdminUserError[]>();
  if (!url) return results;
  const { field } = bulkMirrorDocument(stage);
  for await (const line of bulkMutationResults(url)) {
    const userErrors = line.errors ? null : userErrorsOf(line, field);
    if (userErrors) results.set(line.lineNumber, userErrors.length ? userErrors : NO_USER_ERRORS);
  }
  return results;
}

function userErrorsOf(result: BulkResultLine, field: string): AdminUserError[] | null {
  const payload = result.data?.[field];
  if (payload === null || typeof payload !== "object") return null;
  const errors = (payload as { userErrors?: unknown }).userErrors;
  return Array.isArray(errors) ? (errors as AdminUserError[]) : [];
}

interface StageOutcome {
  delivered: number[];
  failed: { id: number; error: string }[];
  returned: number[];
}

const noOutcome = (): StageOutcome => ({ delivered: [], failed: [], returned: [] });

/** What each message of a sent line becomes, from the line's userErrors (undefined: no usable result). */
function settleLine(stage: BulkMirrorStage, line: PlannedLine, userErrors: readonly AdminUserError[] | undefined, outcome: StageOutcome): void {
  const refused = (operation: string, errors: readonly AdminUserError[]) => truncate(`${operation} (bulk): userErrors: ${userErrorsMessage([...errors])}`);
  if (!userErrors) {
    // No result, a GraphQL error, or no payload: not known to be done; the per-customer path sends them again.
    for (const m of line.messages) outcome.returned.push(m.id);
    return;
  }
  if (!userErrors.length) {
    for (const m of line.messages) outcome.delivered.push(m.id);
    return;
  }
  if (stage !== "metafieldsSet") {
    for (const m of line.messages) outcome.failed.push({ id: m.id, error: refused(m.operation, userErrors) });
    return;
  }
  // metafieldsSet is atomic per line: nothing of it was set. The messages Shopify named fail; the others go back.
  const owners = userErrorOwners([...userErrors], line.messages.map((m) => m.metafields));
  for (const [i, message] of line.messages.entries()) {
    const own = owners ? userErrors.filter((_, e) => owners[e] === i) : [];
    if (own.length) outcome.failed.push({ id: message.id, error: refused(message.operation, own) });
    else outcome.returned.push(message.id);
  }
}

/**
 * What each message of a completed stage becomes, the stage planned again line by line (the same lines in the same
 * order as when it was sent): a sent line's messages from its result; messages on a line with nothing to send (tags
 * that all end the other way) are delivered. `results` null: the stage sent nothing.
 */
async function settleStage(mirror: BulkMirror, results: Map<number, readonly AdminUserError[]> | null, pageSize: number): Promise<StageOutcome> {
  const outcome = noOutcome();
  let index = 0;
  for await (const line of stageLines(mirror, pageSize)) {
    if (!isSent(mirror.stage, line)) for (const m of line.messages) outcome.delivered.push(m.id);
    else settleLine(mirror.stage, line, results?.get(index++), outcome);
  }
  return outcome;
}

/** Stage files live in a temporary directory named with this prefix and the process id. */
export const STAGE_FILE_PREFIX = "afterglow-bulk-";

/**
 * Writes the stage's file (one JSON line per sent line) to a temporary file as the lines are planned, and hands it to
 * `upload` as a Blob read from disk: memory holds a page of the plan, never the file (a 250,000-customer stage is
 * some 20 MB of text). The file is removed once `upload` returns or throws. `upload` is not called when no line is
 * sent; the result says how many lines the file had.
 */
async function withStageFile<T>(mirror: BulkMirror, pageSize: number, upload: (jsonl: Blob, lines: number) => Promise<T>): Promise<{ lines: number; result?: T }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `${STAGE_FILE_PREFIX}${process.pid}-`));
  const file = path.join(dir, `${mirror.stage}.jsonl`);
  try {
    const out = fs.createWriteStream(file);
    const written = once(out, "close");
    let lines = 0;
    try {
      for await (const line of stageLines(mirror, pageSize)) {
        if (!isSent(mirror.stage, line)) continue;
        lines += 1;
        if (!out.write(`${JSON.stringify(line.variables)}\n`)) await once(out, "drain");
      }
    } finally {
      out.end();
      await written;
    }
    if (!lines) return { lines };
    return { lines, result: await upload(await fs.openAsBlob(file, { type: "text/jsonl" }), lines) };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** What held a step up, for the mirror's row: Shopify's refusal, the GraphQL error codes, or the error's name. */
function stepError(error: unknown): string {
  if (error instanceof BulkMutationRefused) return error.message;
  // GraphQL-level errors: the recorder's AdminApiError (`details`), or @shopify/shopify-api's GraphqlQueryError
  // (`body.errors.graphQLErrors`).
  const body = error !== null && typeof error === "object" ? (error as { body?: { errors?: { graphQLErrors?: unknown } } }).body : undefined;
  const errors = error instanceof AdminApiError ? error.details : body?.errors?.graphQLErrors;
  if (Array.isArray(errors)) {
    const codes = errors.map((e: unknown) => (e !== null && typeof e === "object" ? (e as { extensions?: { code?: unknown } }).extensions?.code : undefined));
    const named = [...new Set(codes.filter((c): c is string => typeof c === "string"))];
    return `Admin API: ${named.length ? named.join(",") : "GraphQL error"}`;
  }
  return errorName(error);
}

/**
 * Advances one shop's mirror as far as it can go now. Returns without waiting: a running operation is polled on the
 * next run.
 */
async function advanceShop(shop: string, run: RunOptions, report: BulkMirrorReport): Promise<void> {
  const leaseUntil = new Date(run.now.getTime() + LEASE_MS);
  let mirror = await leaseOpenMirror(shop, run.owner, run.now, leaseUntil);
  if (!mirror) {
    if ((await countWaitingCustomers(shop, run.now)) < Math.max(1, run.minCustomers)) return;
    // The backlog grew faster than autovacuum analyzes (an import, a recompute): the take's statements over it are
    // planned on fresh statistics, or a plan made for a few rows runs for minutes over thousands.
    await refreshTableStatistics(["OutboxMessage"]);
    mirror = await startBulkMirror(shop, run.owner, run.now, leaseUntil, { minCustomers: run.minCustomers, maxCustomers: run.maxCustomers });
    if (!mirror) return;
    report.started += 1;
    log.info("bulk mirror started", { shop, mirror: mirror.id, customers: mirror.customers });
  }
  try {
    const stored = await getShop(shop);
    if (stored?.uninstalledAt) {
      const failed = await endMirrorFailed(shop, mirror.id, run.now, "shop uninstalled", "shop uninstalled");
      report.failed += 1;
      report.failedMessages += failed;
      return;
    }
    const graphql = await run.graphqlFor(shop);
    for (;;) {
      if (mirror.status === "preparing") {
        const { mutation } = bulkMirrorDocument(mirror.stage);
        const name = `afterglow-tier-mirror-${mirror.id}-${mirror.stage}`;
        const { id } = mirror;
        const staged = await withStageFile(mirror, run.pageSize, async (jsonl) => {
          const stagedPath = await stageBulkFile(graphql, `${name}.jsonl`, jsonl);
          await recordMirrorCall(shop, id, BULK_CALL_COST.stagedUpload);
          return stagedPath;
        });
        if (staged.result === undefined) {
          // Nothing to send at this stage: its messages (tags that all end the other way) are settled at once.
          const outcome = await settleStage(mirror, null, run.pageSize);
          await settleBulkMessages(shop, mirror.id, outcome, run.now);
          report.delivered += outcome.delivered.length;
          const next = nextStage(mirror.stage);
          if (!(await advanceStage(shop, mirror.id, run.owner, next, run.now))) return;
          if (!next) {
            report.completed += 1;
            log.info("bulk mirror done", { shop, mirror: mirror.id });
            return;
          }
          mirror = { ...mirror, stage: next, status: "preparing", shopifyId: null };
          continue;
        }
        const shopifyId = await runBulkMutation(graphql, mutation, staged.result, name);
        await recordStageRunning(shop, mirror.id, run.owner, shopifyId, staged.lines, BULK_CALL_COST.run);
        report.submitted += 1;
        log.info("bulk mirror stage submitted", { shop, mirror: mirror.id, stage: mirror.stage, lines: staged.lines });
        return;
      }
      const status = await bulkMutationStatus(graphql, mirror.shopifyId!);
      await recordMirrorCall(shop, mirror.id, BULK_CALL_COST.status);
      if (status.status === "CREATED" || status.status === "RUNNING" || status.status === "CANCELING") return;
      if (status.status !== "COMPLETED") {
        const returned = await endMirrorFailed(shop, mirror.id, run.now, truncate(`${mirror.stage}: ${status.status}${status.errorCode ? ` ${status.errorCode}` : ""}`));
        report.failed += 1;
        report.returned += returned;
        log.warn("bulk mirror failed: its messages go back to the per-customer path", { shop, mirror: mirror.id, stage: mirror.stage, status: status.status, returned });
        return;
      }
      const outcome = await settleStage(mirror, await readResults(mirror.stage, status.url), run.pageSize);
      await settleBulkMessages(shop, mirror.id, outcome, run.now);
      report.delivered += outcome.delivered.length;
      report.failedMessages += outcome.failed.length;
      report.returned += outcome.returned.length;
      if (outcome.failed.length) log.warn("bulk mirror stage refused some lines", { shop, mirror: mirror.id, stage: mirror.stage, failed: outcome.failed.length });
      const next = nextStage(mirror.stage);
      if (!(await advanceStage(shop, mirror.id, run.owner, next, run.now))) return;
      if (!next) {
        report.completed += 1;
        log.info("bulk mirror done", { shop, mirror: mirror.id });
        return;
      }
      mirror = { ...mirror, stage: next, status: "preparing", shopifyId: null };
    }
  } catch (error) {
    // Refused (another bulk mutation runs on the shop), throttled, unreachable: the mirror stays as it is and the
    // next run tries again. The stored text is Shopify's message or the error's name, never variables.
    const detail = stepError(error);
    await recordMirrorCall(shop, mirror.id, 0, truncate(detail));
    log.warn("bulk mirror step deferred", { shop, mirror: mirror.id, stage: mirror.stage, error: errorName(error) });
  } finally {
    await releaseMirror(shop, mirror.id, run.owner);
  }
}

/**
 * One run over every shop with mirror work. Safe from any process at any time: mirrors are leased, and a shop has at
 * most one open mirror.
 */
export async function advanceBulkMirrors(
  options: {
    now?: Date;
    owner?: string;
    graphqlFor?: (shop: string) => Promise<AdminGraphql>;
    minCustomers?: number;
    maxCustomers?: number;
    pageSize?: number;
  } = {},
): Promise<BulkMirrorReport> {
  const run: RunOptions = {
    now: options.now ?? new Date(),
    owner: options.owner ?? INSTANCE_ID,
    graphqlFor: options.graphqlFor ?? adminGraphqlForShop,
    minCustomers: options.minCustomers ?? BULK_MIRROR_MIN_CUSTOMERS,
    maxCustomers: options.maxCustomers ?? BULK_MIRROR_MAX_CUSTOMERS,
    pageSize: options.pageSize ?? BULK_MESSAGE_PAGE,
  };
  const report: BulkMirrorReport = { started: 0, submitted: 0, completed: 0, failed: 0, delivered: 0, failedMessages: 0, returned: 0 };
  for (const shop of await shopsWithBulkMirrorWork(run.now, run.minCustomers)) {
    try {
      await advanceShop(shop, run, report);
    } catch (error) {
      log.error("bulk mirror failed for shop", { shop, error: errorName(error) });
    }
  }
  return report;
}

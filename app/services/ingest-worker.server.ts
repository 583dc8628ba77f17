import type { MessagePort, Worker } from "node:worker_threads";
import { InvalidPayloadError } from "~/domain/payload-error";
import { log } from "~/logger.server";
import { applyIngestEventsWith, applyParsedEvent, type IngestOutcome, type ParsedIngestEvent } from "./ingest-webhook.server";

/**
 * The ingest worker thread (docs/decisions/034-ingest-worker-thread.md). The web server (server.mjs) applies webhook
 * events on a worker thread of its own: the main thread verifies and parses each delivery and hands the parsed event
 * over; the worker runs the group commit (services/ingest-webhook.server.ts) on its own database connections and
 * answers with the outcome after the commit. A group's round trips to PostgreSQL are then answered at once, instead
 * of waiting their turn behind the HTTP work of the main thread's event loop.
 *
 * This file holds both ends: `serveIngestRequests` (in the worker) and `attachIngestWorker` (on the main thread).
 */

/** Main thread → worker. */
type IngestRequest = { kind: "apply"; id: number; event: ParsedIngestEvent } | { kind: "stop" };

/**
 * What crosses the thread boundary of a failure: its class name and message, the reason of an `InvalidPayloadError`,
 * and what the main thread's logs name of a PostgreSQL error (`errorName`: its SQLSTATE, constraint and routine).
 */
interface SentError {
  name: string;
  message: string;
  reason?: string;
  code?: string;
  constraint?: string;
  routine?: string;
}

const DATABASE_FIELDS = ["code", "constraint", "routine"] as const;

/** Worker → main thread: one answer per `apply`, after its group committed (or failed). */
type IngestReply = { id: number; ok: true; outcome: IngestOutcome } | { id: number; ok: false; error: SentError };

function sent(error: unknown): SentError {
  if (error instanceof InvalidPayloadError) return { name: error.name, message: error.message, reason: error.reason };
  if (error instanceof Error) {
    const fields = error as Partial<Record<(typeof DATABASE_FIELDS)[number], unknown>>;
    const named = DATABASE_FIELDS.flatMap((field) => (typeof fields[field] === "string" ? [[field, fields[field]]] : []));
    return { name: error.name, message: error.message, ...Object.fromEntries(named) };
  }
  return { name: typeof error, message: "non-error thrown" };
}

/** The error a caller on the main thread gets: an `InvalidPayloadError` again (the route answers 400), else an Error of that name. */
function received(error: SentError): Error {
  if (error.name === "InvalidPayloadError") return new InvalidPayloadError(error.reason ?? error.message);
  const named = DATABASE_FIELDS.flatMap((field) => (error[field] === undefined ? [] : [[field, error[field]]]));
  const rebuilt = Object.assign(new Error(error.message), Object.fromEntries(named));
  rebuilt.name = error.name;
  return rebuilt;
}

/**
 * The worker's end: applies each event it is sent through this thread's group commit and answers with its outcome.
 * Resolves once it was asked to stop and every event it took has been answered (then the caller closes the pools).
 */
export function serveIngestRequests(port: MessagePort): Promise<void> {
  return new Promise((stopped) => {
    let inFlight = 0;
    let stopping = false;
    const settle = () => {
      if (stopping && inFlight === 0) stopped();
    };
    port.on("message", (request: IngestRequest) => {
      if (request.kind === "stop") {
        stopping = true;
        settle();
        return;
      }
      const { id, event } = request;
      inFlight += 1;
      applyParsedEvent(event)
        .then(
          (outcome) => port.postMessage({ id, ok: true, outcome } satisfies IngestReply),
          (error: unknown) => port.postMessage({ id, ok: false, error: sent(error) } satisfies IngestReply),
        )
        .finally(() => {
          inFlight -= 1;
          settle();
        });
    });
  });
}

/**
 * The main thread's end: from now on `ingestEvent` sends each parsed event to `worker` and resolves with its answer.
 * When the worker fails or exits, the events it had not answered fail (the webhook answers 500 and Shopify delivers
 * it again: nothing acknowledged is lost, and a retry of an event the worker did commit is a duplicate) and events are
 * applied on the main thread again. `stop` (shutdown, after the HTTP server drained) does the same in order: events
 * go back to the main thread, the worker answers what it holds, closes its connections and exits.
 */
export function attachIngestWorker(worker: Worker): { stop: () => Promise<void> } {
  const pending = new Map<number, { resolve: (outcome: IngestOutcome) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let attached = true;
  let exited: () => void = () => {};
  const exit = new Promise<void>((resolve) => (exited = resolve));

  const detach = () => {
    if (!attached) return;
    attached = false;
    applyIngestEventsWith(undefined);
  };
  const gone = (reason: string) => {
    const wasAttached = attached;
    detach();
    for (const { reject } of pending.values()) reject(new Error("the ingest worker stopped before answering"));
    if (wasAttached || pending.size) log.error("ingest worker stopped; webhooks are applied on the main thread", { reason, unanswered: pending.size });
    pending.clear();
    exited();
  };

  worker.on("message", (reply: IngestReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.outcome);
    else waiting.reject(received(reply.error));
  });
  worker.on("error", (error) => gone(`error: ${error.name}`));
  worker.on("exit", (code) => (pending.size || attached ? gone(`exit ${code}`) : exited()));

  applyIngestEventsWith(
    (event) =>
      new Promise<IngestOutcome>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ kind: "apply", id, event } satisfies IngestRequest);
      }),
  );

  return {
    async stop() {
      detach();
      worker.postMessage({ kind: "stop" } satisfies IngestRequest);
      await exit;
    },
  };
}

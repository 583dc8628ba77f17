import { z } from "zod";
import { closeDatabase, dbReady } from "~/db.server";
import { errorName, log } from "~/logger.server";
import { handleWebhookMessage, type MessageVerdict, type WebhookMessage } from "./webhook-message.server";

/**
 * `npm run consume:pubsub` (scripts/consume-pubsub.mjs → build/server/index.js → here): Shopify's webhooks read from
 * a Google Pub/Sub subscription and applied through the same services as the HTTP routes. Each message is
 * acknowledged only after its effect committed, refused ones too (acknowledged and logged), and nacked when applying
 * it failed, so that Pub/Sub delivers it again. Any number of consumers may read one subscription, beside any number
 * of web instances: the webhook id makes a repeat change nothing. docs/decisions/026-pubsub-consumer.md.
 */

/** A message as the client library's `Message` gives it: the fields read, and its settlement. */
export interface PubSubMessage extends WebhookMessage {
  ack(): void;
  nack(): void;
}

/** The part of the client library's `Subscription` the consumer uses (a test stands in an EventEmitter). */
export interface PubSubSubscription {
  on(event: "message", listener: (message: PubSubMessage) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  removeListener(event: "message", listener: (message: PubSubMessage) => void): unknown;
  removeListener(event: "error", listener: (error: Error) => void): unknown;
  /** Stops pulling; the library then waits for the messages handed out (closeOptions) and flushes their acks. */
  close(): Promise<void>;
}

export interface WebhookConsumer {
  /** Messages being applied now. */
  inFlight(): number;
  /**
   * Graceful stop (SIGTERM): no new message is applied (one arriving now is nacked at once, for another consumer),
   * those in flight finish and are acked or nacked, then the subscription is closed, which flushes the acks.
   */
  stop(): Promise<void>;
}

export interface ConsumeOptions {
  /** The subscription failed for good (deleted, permission revoked…): the process should stop and be restarted. */
  onError?: (error: Error) => void;
  /** Test seam: how one message is applied. */
  handle?: (message: WebhookMessage) => Promise<MessageVerdict>;
}

/** Applies every message of `subscription` until `stop()`. */
export function consumeWebhookMessages(subscription: PubSubSubscription, options: ConsumeOptions = {}): WebhookConsumer {
  const handle = options.handle ?? ((message: WebhookMessage) => handleWebhookMessage(message));
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  async function settle(message: PubSubMessage) {
    let verdict: MessageVerdict;
    try {
      verdict = await handle(message);
    } catch (error) {
      // handleWebhookMessage never throws; a handler that does is retried like any failure.
      log.error("webhook message failed; Pub/Sub will deliver it again", { via: "pubsub", error: errorName(error) });
      verdict = { ack: false, retry: errorName(error) };
    }
    if (verdict.ack) message.ack();
    else message.nack();
  }

  const onMessage = (message: PubSubMessage) => {
    if (stopping) {
      message.nack();
      return;
    }
    const work: Promise<void> = settle(message).finally(() => inFlight.delete(work));
    inFlight.add(work);
  };
  const onError = (error: Error) => {
    log.error("Pub/Sub subscription failed", { via: "pubsub", error: errorName(error), code: pubsubCode(error) });
    options.onError?.(error);
  };
  subscription.on("message", onMessage);
  subscription.on("error", onError);

  let stopped: Promise<void> | undefined;
  return {
    inFlight: () => inFlight.size,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        log.info("Pub/Sub consumer stopping", { via: "pubsub", inFlight: inFlight.size });
        // Closing first stops the stream at once; the library keeps the leases of the messages in flight and, with
        // the WAIT close behaviour (startPubSubConsumer), waits for their ack or nack before flushing.
        const closing = subscription.close();
        while (inFlight.size) await Promise.allSettled([...inFlight]);
        await closing;
        subscription.removeListener("message", onMessage);
        subscription.removeListener("error", onError);
        log.info("Pub/Sub consumer stopped", { via: "pubsub" });
      })()),
  };
}

/** The gRPC status code of a client library error (a number), never its message. */
function pubsubCode(error: Error): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

const ConfigSchema = z.object({
  /** The subscription's id in GOOGLE_CLOUD_PROJECT, or its full name `projects/<project>/subscriptions/<id>`. */
  PUBSUB_SUBSCRIPTION: z
    .string({ required_error: "is required: the Pub/Sub subscription to read (an id, or projects/<project>/subscriptions/<id>)" })
    .regex(/^(projects\/[^/\s]+\/subscriptions\/)?[A-Za-z][\w.~+%-]{2,254}$/, "is not a Pub/Sub subscription id or name"),
  /** The Google Cloud project; optional when the subscription is a full name or the credentials name the project. */
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  /** Messages applied at once by this process (the library's flow control): a group commit shares them. */
  PUBSUB_MAX_MESSAGES: z.coerce.number().int().min(1).max(1000).default(100),
  /** On SIGTERM, how long the messages in flight may take before the rest are nacked. */
  PUBSUB_SHUTDOWN_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
});

export type PubSubConsumerConfig = z.infer<typeof ConfigSchema>;

/**
 * The consumer's own variables, validated when it starts (the web instances never read them; the variables every
 * process needs are in app/env.server.ts). Throws one message naming every bad variable.
 */
export function pubsubConsumerConfig(source: Record<string, string | undefined>): PubSubConsumerConfig {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment for the Pub/Sub consumer, refusing to start:\n${lines.join("\n")}`);
  }
  return result.data;
}

export interface RunningConsumer {
  /** Graceful stop, then the client and the database pools are closed. */
  stop(): Promise<void>;
  /** Resolves with the error when the subscription failed for good (the caller stops and exits non-zero). */
  failed: Promise<Error>;
}

/**
 * Starts the consumer of the real subscription: checks the database answers, then reads with at most
 * PUBSUB_MAX_MESSAGES in flight. Credentials come from Google's Application Default Credentials
 * (GOOGLE_APPLICATION_CREDENTIALS, or the platform's service account); PUBSUB_EMULATOR_HOST is honoured by the library.
 * No background work (outbox, jobs, sweeps) runs here: the web instances run it.
 */
export async function startPubSubConsumer(config: PubSubConsumerConfig = pubsubConsumerConfig(process.env)): Promise<RunningConsumer> {
  await dbReady.catch((error: unknown) => {
    throw new Error(`the database of DATABASE_URL did not answer (${error instanceof Error ? error.message : String(error)})`);
  });
  // Loaded here only: the web instances never load the client library.
  const { Duration, PubSub } = await import("@google-cloud/pubsub");
  const pubsub = new PubSub(config.GOOGLE_CLOUD_PROJECT ? { projectId: config.GOOGLE_CLOUD_PROJECT } : {});
  const subscription = pubsub.subscription(config.PUBSUB_SUBSCRIPTION, {
    // allowExcessMessages: false keeps extra messages of a pulled batch with the library (leased, not yet ours).
    flowControl: { maxMessages: config.PUBSUB_MAX_MESSAGES, allowExcessMessages: false },
    closeOptions: { behavior: "WAIT", timeout: Duration.from({ seconds: config.PUBSUB_SHUTDOWN_SECONDS }) },
  });
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (fail = resolve));
  const consumer = consumeWebhookMessages(subscription, { onError: fail });
  log.info("Pub/Sub consumer started", { via: "pubsub", maxMessages: config.PUBSUB_MAX_MESSAGES });
  return {
    failed,
    stop: async () => {
      await consumer.stop();
      await pubsub.close();
      await closeDatabase();
    },
  };
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { errorName, log } from "./logger.server";

/**
 * Errors Remix meets on the server, logged like everything else: one structured line, through the logger (so the
 * test run's customer-data scan sees it too), without the error's message, which can carry request data (a search
 * term, an email). The name, the path and where it was thrown are enough to find it.
 */

/** "file:line:column" of the innermost stack frame, never the message line above the frames. */
export function whereThrown(error: unknown): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  const frame = stack?.split("\n").find((line) => line.trimStart().startsWith("at "));
  return frame?.match(/\(?([^()\s]+:\d+:\d+)\)?\s*$/)?.[1];
}

/** Remix's `handleError` (exported by entry.server.tsx): an error thrown by a loader, an action or a render. */
export function handleError(error: unknown, { request }: Pick<LoaderFunctionArgs | ActionFunctionArgs, "request">) {
  // A request the browser gave up on: nothing went wrong on our side.
  if (request.signal.aborted) return;
  log.error("request failed", { method: request.method, path: new URL(request.url).pathname, error: errorName(error), where: whereThrown(error) });
}

/** An error while streaming a page after its shell was sent (renderToPipeableStream's onError). */
export function logRenderError(error: unknown) {
  log.error("render failed", { error: errorName(error), where: whereThrown(error) });
}

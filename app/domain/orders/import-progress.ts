/**
 * How far a historical import has got, for the merchant: orders applied out of the export's total (Shopify's
 * `rootObjectCount` once the bulk export completed), the rate since applying started (or resumed), and the time left
 * at that rate. Pure: the caller passes the clock.
 */
interface ImportProgressInput {
  /** Orders applied so far (those a resumed run had applied included). */
  done: number;
  /** Orders in the export; null while Shopify is still exporting. */
  total: number | null;
  /** When this run started applying, and how many orders were applied by then (a resumed run starts above 0). */
  applyingSince: Date | null;
  doneAtStart: number;
  now: Date;
}

export interface ImportProgressView {
  done: number;
  total: number | null;
  /** 0–100, or null before the total is known. */
  percent: number | null;
  /** Orders per second since applying started, or null before a second has passed or an order was applied. */
  perSecond: number | null;
  /** Seconds left at that rate, or null when either is unknown. */
  secondsLeft: number | null;
}

export function importProgress({ done, total, applyingSince, doneAtStart, now }: ImportProgressInput): ImportProgressView {
  const known = total !== null && total >= 0 ? total : null;
  const percent = known === null ? null : known === 0 ? 100 : Math.min(100, Math.floor((done / known) * 100));
  const elapsed = applyingSince ? (now.getTime() - applyingSince.getTime()) / 1000 : 0;
  const applied = done - doneAtStart;
  const perSecond = elapsed >= 1 && applied > 0 ? applied / elapsed : null;
  const secondsLeft = perSecond !== null && known !== null ? Math.max(0, Math.ceil((known - done) / perSecond)) : null;
  return { done, total: known, percent, perSecond, secondsLeft };
}

/** "about 45 s left", "about 3 min left", "about 2 h 5 min left". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, seconds)} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ""} left`;
}

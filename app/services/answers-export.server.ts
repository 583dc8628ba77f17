import type { TimeIdPosition } from "~/domain/cursor";
import { CSV_BOM, encodeRow, moneyCell, utcDateTime, type CsvCell } from "~/domain/csv";
import { tierSlug } from "~/domain/loyalty/program";
import { answerFilterBounds, type AnswerFilters } from "~/domain/survey/answer-filters";
import { customAnswerCell } from "~/domain/survey/answer-cells";
import { scoreBand } from "~/domain/survey/score-bands";
import { errorName, log } from "~/logger.server";
import { answersExportPage, type AnswerExportRow, type AnswersExportQuery } from "~/models/answers-export.server";
import { getLoyaltyProgram } from "./loyalty.server";
import { shopDisplaySettings } from "./shop-profile.server";
import { getSurveySettings } from "./survey-settings.server";

/**
 * The survey answers CSV: one row per answer set, newest first, with the order and customer facts, filtered like
 * the Survey page's answers list. Produced as a pull-based stream: each time the consumer wants more bytes, one
 * keyset page is read from the database and encoded, so memory holds about one page whatever the shop's size,
 * and a consumer that stops reading stops the queries.
 */
const EXPORT_PAGE_SIZE = 1000;

/** The fixed columns; one column per custom question of the shop's survey follows them (decision 037). */
const ANSWERS_CSV_HEADER = [
  "Answered at (UTC)",
  "Order ID",
  "Order",
  "Order total",
  "Currency",
  "Order placed at (UTC)",
  "Customer ID",
  "Customer name",
  "Email",
  "Tier",
  "Lifetime net spend",
  "Order count",
  "NPS",
  "NPS category",
  "CSAT",
  "CES",
  "Attribution",
  "Attribution other",
  "Comment",
  "Locale",
  "Surface",
] as const;

interface AnswersCsv {
  filename: string;
  body: ReadableStream<Uint8Array>;
}

interface ExportOptions {
  /** Dates the file name when the filters have no `to`. */
  now?: Date;
  /** The request's signal: once the client is gone, no further page is read. */
  signal?: AbortSignal;
  pageSize?: number;
}

/** `afterglow-answers-<from>-<to>.csv`; an open start reads "all", an open end is the export day. */
function answersCsvFilename(filters: Pick<AnswerFilters, "from" | "to">, now: Date): string {
  return `afterglow-answers-${filters.from ?? "all"}-${filters.to ?? now.toISOString().slice(0, 10)}.csv`;
}

function toQuery(filters: AnswerFilters): AnswersExportQuery {
  return {
    ...(filters.question ? { question: filters.question } : {}),
    ...(filters.question && filters.band ? { band: filters.band } : {}),
    ...answerFilterBounds(filters),
  };
}

export async function exportAnswersCsv(shop: string, filters: AnswerFilters, options: ExportOptions = {}): Promise<AnswersCsv> {
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const query = toQuery(filters);
  // Read once, before the first byte: the tier names of the current program and the shop currency (for an answer
  // whose order has not arrived yet but whose customer is known).
  // The custom questions' columns follow the survey as the merchant has it now (its draft), headed by their wording.
  const [{ program }, display, { draft }] = await Promise.all([getLoyaltyProgram(shop), shopDisplaySettings(shop), getSurveySettings(shop)]);
  const tierNames = new Map(program.tiers.map((t) => [tierSlug(t.name), t.name]));
  const custom = draft.custom;
  const header = [...ANSWERS_CSV_HEADER, ...custom.map((q) => q.text[draft.defaultLocale] ?? q.id)];
  const toCells = (row: AnswerExportRow): CsvCell[] => [
    ...answerCells(row, tierNames, display.currency),
    ...custom.map((q) => customAnswerCell(q, row.customAnswers, row.customText, draft.defaultLocale)),
  ];

  const encoder = new TextEncoder();
  let after: TimeIdPosition | null = null;
  let headerSent = false;
  let rows = 0;

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(CSV_BOM + encodeRow(header)));
          return;
        }
        if (options.signal?.aborted) {
          log.info("answers export abandoned by the client", { shop, rows });
          controller.close();
          return;
        }
        let page: AnswerExportRow[];
        try {
          page = await answersExportPage(shop, query, after, pageSize);
        } catch (error) {
          // Error the stream (not close it): the download then fails visibly instead of ending as a short file.
          log.error("answers export failed", { shop, rows, error: errorName(error) });
          controller.error(error);
          return;
        }
        if (page.length) {
          controller.enqueue(encoder.encode(page.map((row) => encodeRow(toCells(row))).join("")));
          rows += page.length;
          const last = page[page.length - 1]!;
          after = { at: last.createdAt, id: last.id };
        }
        if (page.length < pageSize) controller.close();
      },
    },
    // At most one encoded page waits in the queue; the next page is read only when the consumer takes it.
    { highWaterMark: 1 },
  );
  return { filename: answersCsvFilename(filters, now), body };
}

/** One answer as CSV cells, in `ANSWERS_CSV_HEADER` order. Shopper and merchant text are text cells (formula-guarded). */
function answerCells(row: AnswerExportRow, tierNames: ReadonlyMap<string, string>, shopCurrency: string | null): CsvCell[] {
  // Order totals and customer facts are both kept in the shop currency.
  const currency = row.currency ?? shopCurrency;
  const name = [row.firstName, row.lastName].filter(Boolean).join(" ").trim();
  return [
    utcDateTime(row.createdAt),
    row.orderId,
    row.orderName,
    currency === null ? null : moneyCell(row.orderTotalMinor, currency),
    row.orderTotalMinor !== null || row.lifetimeNetMinor !== null ? currency : null,
    utcDateTime(row.orderPlacedAt),
    row.customerId,
    name || null,
    row.email,
    row.tierSlug === null ? null : (tierNames.get(row.tierSlug) ?? row.tierSlug),
    currency === null ? null : moneyCell(row.lifetimeNetMinor, currency),
    row.orderCount,
    row.nps,
    row.nps === null ? null : scoreBand("nps", row.nps),
    row.csat,
    row.ces,
    row.attributionOption,
    row.attributionOther,
    row.comment,
    row.locale,
    row.surface,
  ];
}

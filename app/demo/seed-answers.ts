/**
 * Deterministic demo survey answers for the demo shop's seeded orders: pure (no I/O, no clock, no Math.random),
 * so the same events and options always give the same answers. About 35% of non-test orders are answered; NPS
 * follows the customer's disposition (seed-story.ts: promoters mostly answer 9–10, detractors 0–6; guests lean
 * positive), and refunded orders answer lower (a promoter's as a passive, anyone else's mostly 0–6); CSAT and CES follow the NPS; a customer names the channel they came
 * from (the default survey's options), a guest any; about 20% leave a short comment in the shopper's language.
 * The demo's survey adds three questions of the merchant's own (DEMO_SURVEY_CONFIG): who the order was for (most
 * answer), the packaging (following the mood) and, on first orders only (its audience), what almost stopped them,
 * drawn from a generator of their own per order so the answers above stay as they were.
 */
import type { SurveySubmission } from "~/domain/survey/answer";
import { DEFAULT_SURVEY_CONFIG, SUPPORTED_LOCALES, type CustomQuestion, type SupportedLocale, type SurveyConfig } from "~/domain/survey/questions";
import type { SeedEvent } from "./seed-data";
import { mulberry32, type Rng } from "./random";
import { customerProfile, NPS_BY_DISPOSITION } from "./seed-story";

interface SeedAnswer {
  submission: SurveySubmission & { orderNumericId: string };
  surface: "thank-you" | "order-status";
  /** When the shopper answered: shortly after the order (thank-you), or days later (order status). */
  at: Date;
  /** Whether the order was its customer's first (a guest's always is): what the survey's targeting saw. */
  firstOrder: boolean;
}

interface SeedAnswerOptions {
  now: Date;
  seed?: number;
  /** Share of non-test orders answered (default 0.35). */
  responseRate?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Picks an index by weight. */
function weighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("cannot pick from an empty list");
  return item;
}

// Weights of NPS scores 0..10. Guests' orders: ~60% promoters, ~25% passives, ~15% detractors.
const NPS_HAPPY = [1, 0.5, 0.5, 1, 1, 3, 8, 11, 14, 26, 34] as const;
// Refunded orders: mostly detractors.
const NPS_REFUNDED = [7, 5, 7, 10, 10, 12, 11, 10, 10, 8, 10] as const;

/** Locale mix of the shoppers. */
const LOCALE_WEIGHTS: Record<SupportedLocale, number> = { en: 50, fr: 15, de: 13, es: 12, "zh-CN": 10 };

const COMMENTS: Record<SupportedLocale, { good: readonly string[]; mid: readonly string[]; bad: readonly string[] }> = {
  en: {
    good: ["Lovely quality, fast shipping!", "Fits perfectly, will order again.", "Great service, thank you!"],
    mid: ["Nice, but delivery took a while.", "Good product, packaging could be better."],
    bad: ["Wrong size arrived.", "Too slow, and nobody answered my email.", "Quality not as pictured."],
  },
  fr: {
    good: ["Très bonne qualité, livraison rapide !", "Parfait, merci beaucoup."],
    mid: ["Bien, mais la livraison était lente.", "Correct, sans plus."],
    bad: ["Taille incorrecte reçue.", "Déçue par la qualité."],
  },
  de: {
    good: ["Super Qualität, schnelle Lieferung!", "Alles bestens, gerne wieder."],
    mid: ["Gut, aber die Lieferung dauerte lange.", "Ganz okay."],
    bad: ["Falsche Größe geliefert.", "Qualität leider enttäuschend."],
  },
  es: {
    good: ["¡Excelente calidad y envío rápido!", "Me encanta, volveré a comprar."],
    mid: ["Bien, pero el envío tardó.", "Está bien, nada especial."],
    bad: ["Llegó la talla equivocada.", "La calidad no es como en las fotos."],
  },
  "zh-CN": {
    good: ["质量很好，发货很快！", "非常满意，会再来买。"],
    mid: ["还可以，就是物流有点慢。", "一般般。"],
    bad: ["尺码发错了。", "质量和图片不符。"],
  },
};

const base = { options: [], shuffle: false, allowOther: false, allowNone: false };
const DEMO_CUSTOM_QUESTIONS: CustomQuestion[] = [
  {
    ...base,
    id: "occasion",
    type: "single_choice",
    text: { en: "Who was this order for?", fr: "Pour qui était cette commande ?", de: "Für wen war diese Bestellung?", es: "¿Para quién era este pedido?", "zh-CN": "这笔订单是买给谁的？" },
    options: [
      { id: "myself", label: { en: "Myself", fr: "Moi-même", de: "Für mich", es: "Para mí", "zh-CN": "自己" } },
      { id: "gift", label: { en: "A gift", fr: "Un cadeau", de: "Ein Geschenk", es: "Un regalo", "zh-CN": "送礼" } },
      { id: "work", label: { en: "Work", fr: "Le travail", de: "Die Arbeit", es: "El trabajo", "zh-CN": "工作" } },
    ],
    allowOther: true,
  },
  {
    ...base,
    id: "packaging",
    type: "rating_1_5",
    text: { en: "How was the packaging?", fr: "Comment était l'emballage ?", de: "Wie war die Verpackung?", es: "¿Qué tal el embalaje?", "zh-CN": "包装怎么样？" },
  },
  {
    ...base,
    id: "almost",
    type: "short_text",
    // Targeting (decision 045): asked on a shopper's first order only.
    audience: { customer: "first" },
    text: {
      en: "What almost stopped you from ordering?",
      fr: "Qu'est-ce qui a failli vous arrêter ?",
      de: "Was hätte Sie fast vom Bestellen abgehalten?",
      es: "¿Qué casi le impidió pedir?",
      "zh-CN": "是什么差点让您放弃下单？",
    },
  },
];

/** The demo shop's survey: the default questions and three of the merchant's own. */
export const DEMO_SURVEY_CONFIG: SurveyConfig = { ...DEFAULT_SURVEY_CONFIG, custom: DEMO_CUSTOM_QUESTIONS };

const OCCASION_OTHER = ["For my mum", "Wedding", "Secret Santa"] as const;
const ALMOST: Record<SupportedLocale, readonly string[]> = {
  en: ["The shipping cost", "Not sure about the size", "Delivery time"],
  fr: ["Les frais de port", "Pas sûre de la taille"],
  de: ["Die Versandkosten", "Unsicher bei der Größe"],
  es: ["El coste del envío", "No sabía qué talla"],
  "zh-CN": ["运费", "不确定尺码"],
};

/** The answers to the demo's own questions, from a generator of the order's own (the other answers do not shift). */
function customAnswers(orderId: number, mood: "good" | "mid" | "bad", locale: SupportedLocale, firstOrder: boolean): Record<string, string | number | { optionId: string; other?: string }> {
  const rng = mulberry32(orderId * 7919 + 17);
  const answers: Record<string, string | number | { optionId: string; other?: string }> = {};
  if (rng() < 0.8) {
    const index = weighted(rng, [55, 30, 10, 5]);
    answers.occasion = index === 3 ? { optionId: "other", other: pick(rng, OCCASION_OTHER) } : { optionId: ["myself", "gift", "work"][index] ?? "myself" };
  }
  if (rng() < 0.7) answers.packaging = mood === "good" ? 4 + Math.floor(rng() * 2) : mood === "mid" ? 3 + Math.floor(rng() * 2) : 1 + Math.floor(rng() * 3);
  // Asked of first orders only (its audience); a quarter of those shoppers write something.
  if (rng() < 0.25 && firstOrder) answers.almost = pick(rng, ALMOST[locale]);
  return answers;
}

const OTHER_SOURCES = ["Podcast", "Newsletter", "Blog", "YouTube", "Market stall"] as const;

interface SeedOrder {
  id: number;
  customerId: number | null;
  test: boolean;
  placedMs: number;
  refundedMs: number | null;
}

function ordersFrom(events: readonly SeedEvent[]): SeedOrder[] {
  const orders = new Map<number, SeedOrder>();
  for (const event of events) {
    if (event.topic === "orders/create") {
      const p = event.payload as { id: number; test?: boolean; created_at: string; customer?: { id: number } | null };
      orders.set(p.id, { id: p.id, customerId: p.customer?.id ?? null, test: p.test === true, placedMs: Date.parse(p.created_at), refundedMs: null });
    }
  }
  for (const event of events) {
    if (event.topic === "refunds/create") {
      const order = orders.get((event.payload as { order_id: number }).order_id);
      if (order && order.refundedMs === null) order.refundedMs = event.at.getTime();
    }
  }
  return [...orders.values()].sort((a, b) => a.placedMs - b.placedMs || a.id - b.id);
}

/** Answer sets for the seeded orders, oldest first, none dated after `now`. */
export function generateDemoAnswers(events: readonly SeedEvent[], options: SeedAnswerOptions): SeedAnswer[] {
  const { now, seed = 20_241_122, responseRate = 0.35 } = options;
  const rng = mulberry32(seed);
  const nowMs = now.getTime();
  const attributionIds = DEFAULT_SURVEY_CONFIG.questions.attribution.options.map((o) => o.id);
  const localeWeights = SUPPORTED_LOCALES.map((l) => LOCALE_WEIGHTS[l]);
  const answers: SeedAnswer[] = [];
  /** Customers with a live order so far: their later orders are not first orders (guests' always are). */
  const ordered = new Set<number>();

  for (const order of ordersFrom(events)) {
    // Draw the same number of values for every order so one order's fate does not shift the others'.
    const r = Array.from({ length: 12 }, rng);
    const firstOrder = order.customerId === null || !ordered.has(order.customerId);
    if (!order.test && order.customerId !== null) ordered.add(order.customerId);
    if (order.test || (r[0] ?? 1) >= responseRate) continue;

    const refunded = order.refundedMs !== null;
    // Thank-you page answers come minutes after the order; refunded shoppers more often answer later, on the
    // order status page, once the refund went through.
    const late = refunded ? (r[1] ?? 0) < 0.6 : (r[1] ?? 0) < 0.15;
    let atMs = late
      ? Math.max(order.refundedMs ?? order.placedMs, order.placedMs) + Math.floor((r[2] ?? 0) * 3 * DAY) + HOUR
      : order.placedMs + MINUTE + Math.floor((r[2] ?? 0) * 20 * MINUTE);
    if (atMs > nowMs) atMs = Math.max(order.placedMs + MINUTE, nowMs - MINUTE);
    if (atMs > nowMs) continue;

    const profile = order.customerId === null ? null : customerProfile(order.customerId);
    // A refund pulls an answer down; a promoter forgives it (answers as a passive would), others answer low.
    const npsWeights = refunded
      ? profile?.disposition === "promoter"
        ? NPS_BY_DISPOSITION.passive
        : NPS_REFUNDED
      : profile
        ? NPS_BY_DISPOSITION[profile.disposition]
        : NPS_HAPPY;
    const nps = weighted(mulberry32(Math.floor((r[3] ?? 0) * 2 ** 31)), npsWeights);
    const mood = nps >= 9 ? "good" : nps >= 7 ? "mid" : "bad";
    const jitter = (r[4] ?? 0) < 0.25 ? -1 : (r[4] ?? 0) > 0.8 ? 1 : 0;
    const csatBase = mood === "good" ? 5 : mood === "mid" ? 4 : nps >= 4 ? 3 : 2;
    const csat = Math.min(5, Math.max(1, csatBase + (mood === "good" ? Math.min(0, jitter) : jitter)));
    const cesBase = mood === "good" ? 6 : mood === "mid" ? 5 : 3;
    const ces = Math.min(7, Math.max(1, cesBase + jitter + ((r[5] ?? 0) < 0.5 ? 0 : mood === "good" ? 1 : -1)));

    const locale = SUPPORTED_LOCALES[weighted(mulberry32(Math.floor((r[6] ?? 0) * 2 ** 31)), localeWeights)] ?? "en";
    const submission: SeedAnswer["submission"] = {
      orderId: `gid://shopify/OrderIdentity/${order.id}`,
      orderNumericId: String(order.id),
      locale,
      answers: { nps },
    };
    // CSAT on most answers; CES only on some (it is off in the default survey, as if a merchant tried it).
    if ((r[7] ?? 0) < 0.9) submission.answers.csat = csat;
    if ((r[8] ?? 0) < 0.35) submission.answers.ces = ces;
    if ((r[9] ?? 0) < 0.75) {
      const x = r[10] ?? 0;
      if (x < 0.08) {
        submission.answers.attribution = { optionId: "other", other: OTHER_SOURCES[Math.floor((x / 0.08) * OTHER_SOURCES.length)] ?? "Podcast" };
      } else if (profile && attributionIds.includes(profile.channel)) {
        submission.answers.attribution = { optionId: profile.channel };
      } else {
        // Search and social lead, then friends, then ads.
        const index = weighted(mulberry32(Math.floor(x * 2 ** 31)), [38, 30, 20, 12].slice(0, attributionIds.length));
        submission.answers.attribution = { optionId: attributionIds[index] ?? "search" };
      }
    }
    // Unhappy shoppers write more often.
    const commentChance = mood === "bad" ? 0.4 : mood === "mid" ? 0.2 : 0.15;
    if ((r[11] ?? 1) < commentChance) {
      submission.answers.comment = pick(mulberry32(Math.floor((r[11] ?? 0) * 2 ** 31) + order.id), COMMENTS[locale][mood]);
    }
    const custom = customAnswers(order.id, mood, locale, firstOrder);
    if (Object.keys(custom).length) submission.answers.custom = custom;
    answers.push({ submission, surface: late ? "order-status" : "thank-you", at: new Date(atMs), firstOrder });
  }
  return answers.sort((a, b) => a.at.getTime() - b.at.getTime() || a.submission.orderNumericId.localeCompare(b.submission.orderNumericId));
}

import type { WindowStart } from "../policy";
import { plural } from "./plural";
import type { PolicyWording } from "./types";

/** Dative after "innerhalb von": "1 Tag", "30 Tagen". */
const days = (n: number) => plural("de", n, { one: "# Tag", other: "# Tagen" });

const AFTER: Record<WindowStart, string> = {
  order: "nach Ihrer Bestellung",
  fulfillment: "nach dem Versand Ihrer Bestellung",
  delivery: "nach der Zustellung",
};
const DATE: Record<WindowStart, string> = {
  order: "dem Bestelldatum",
  fulfillment: "dem Versanddatum",
  delivery: "dem Zustelldatum",
};
const SUMMARY_AFTER: Record<WindowStart, string> = { order: "nach Kauf", fulfillment: "nach Versand", delivery: "nach Zustellung" };

export const de: PolicyWording = {
  sentenceGap: " ",
  title: "Rückgabe- und Erstattungsbedingungen",
  headings: {
    window: "Rückgabe",
    howToStart: "So melden Sie eine Rückgabe an",
    conditions: "Zustand der Artikel",
    finalSale: "Vom Umtausch ausgeschlossene Artikel",
    shipping: "Rücksendekosten",
    refunds: "Erstattung",
    exchanges: "Umtausch",
    note: "Weitere Informationen",
  },

  finalSaleOnly: "Alle Verkäufe sind endgültig. Rückgabe und Umtausch sind ausgeschlossen.",
  noTimeLimit: "Sie können Artikel jederzeit zurückgeben – es gibt keine Frist.",
  within: (n, start) => `Sie können Artikel innerhalb von ${days(n)} ${AFTER[start]} zurückgeben.`,
  lastDay: (n, start) =>
    n === 1
      ? `Sie können eine Rückgabe bis zum Ende des Tages nach ${DATE[start]} anmelden (24 Uhr, Ortszeit des Shops).`
      : `Sie können eine Rückgabe bis zum Ende des ${n}. Tages nach ${DATE[start]} anmelden (24 Uhr, Ortszeit des Shops).`,
  statutoryRights: "Ihre gesetzlichen Rechte bleiben davon unberührt.",

  howToStart: [
    "Um eine Rückgabe anzumelden, schreiben Sie uns mit Ihrer Bestellnummer und den Artikeln, die Sie zurückgeben möchten. Wir antworten Ihnen mit einer Anleitung und der Rücksendeadresse.",
    "Bitte senden Sie nichts zurück, bevor wir Ihre Rückgabe bestätigt haben.",
  ],

  conditionsIntro: "Damit wir sie annehmen können, müssen zurückgesendete Artikel:",
  conditions: {
    unused: "unbenutzt und in dem Zustand sein, in dem Sie sie erhalten haben",
    originalPackaging: "in der Originalverpackung sein",
    tagsAttached: "noch alle Etiketten tragen",
  },
  noConditions: "Für den Zustand zurückgesendeter Artikel gibt es keine besonderen Anforderungen.",

  finalSaleItems: "Artikel, die als vom Umtausch ausgeschlossen gekennzeichnet sind, können weder zurückgegeben noch umgetauscht werden.",

  shippingFree: "Die Rücksendung ist für Sie kostenlos: Die Versandkosten übernehmen wir.",
  shippingFlat: (fee) => `Für jede Rücksendung berechnen wir pauschal ${fee}; der Betrag wird von Ihrer Erstattung abgezogen.`,
  shippingCustomer: "Die Kosten der Rücksendung tragen Sie. Wir empfehlen einen Versand mit Sendungsverfolgung.",

  refundToOriginal:
    "Sobald Ihre Rücksendung bei uns eingegangen und geprüft ist, erstatten wir den Betrag über die ursprüngliche Zahlungsart. Bis die Gutschrift auf Ihrem Konto erscheint, kann es einige Tage dauern.",
  restockingFee: (percent) =>
    `Für die Wiedereinlagerung ziehen wir ${percent} des Preises jedes zurückgegebenen Artikels von der Erstattung ab.`,
  storeCredit: "Statt einer Erstattung können Sie auch ein Guthaben für unseren Shop wählen.",
  storeCreditBonus: (percent) => `Wenn Sie ein Guthaben wählen, erhalten Sie ${percent} mehr als den Wert der zurückgegebenen Artikel.`,

  exchangesYes: "Statt einer Erstattung können Sie einen Artikel gegen eine andere Größe oder ein anderes Produkt umtauschen.",
  exchangesNo:
    "Ein Umtausch ist nicht möglich. Wenn Sie einen anderen Artikel möchten, geben Sie den ursprünglichen Artikel gegen Erstattung zurück und bestellen Sie neu.",

  summary: {
    finalSale: "Umtausch und Rückgabe ausgeschlossen",
    within: (n, start, free) => `${free ? "Kostenlose Rückgabe" : "Rückgabe"} innerhalb von ${days(n)} ${SUMMARY_AFTER[start]}`,
    noTimeLimit: (free) => (free ? "Kostenlose Rückgabe ohne Frist" : "Rückgabe jederzeit möglich"),
    shippingFee: (fee) => `${fee} Rücksendekosten`,
    restockingFee: (percent) => `${percent} Wiedereinlagerungsgebühr`,
  },
};

import type { WindowStart } from "../policy";
import { plural } from "./plural";
import type { PolicyWording } from "./types";

const days = (n: number) => plural("es", n, { one: "# día", other: "# días" });

const FROM: Record<WindowStart, string> = {
  order: "la fecha de tu pedido",
  fulfillment: "el envío de tu pedido",
  delivery: "la entrega",
};
const DATE: Record<WindowStart, string> = {
  order: "la fecha del pedido",
  fulfillment: "la fecha de envío",
  delivery: "la fecha de entrega",
};
/** "después de" + article, contracted where Spanish requires it ("del envío"). */
const SUMMARY_AFTER: Record<WindowStart, string> = { order: "de la compra", fulfillment: "del envío", delivery: "de la entrega" };

export const es: PolicyWording = {
  sentenceGap: " ",
  title: "Política de devoluciones y reembolsos",
  headings: {
    window: "Devoluciones",
    howToStart: "Cómo iniciar una devolución",
    conditions: "Estado de los artículos devueltos",
    finalSale: "Artículos sin devolución",
    shipping: "Envío de la devolución",
    refunds: "Reembolsos",
    exchanges: "Cambios",
    note: "Más información",
  },

  finalSaleOnly: "Todas las ventas son definitivas: no aceptamos devoluciones ni cambios.",
  noTimeLimit: "Puedes devolver los artículos en cualquier momento: no hay plazo límite.",
  within: (n, start) => `Puedes devolver los artículos en un plazo de ${days(n)} desde ${FROM[start]}.`,
  lastDay: (n, start) =>
    n === 1
      ? `El último día para iniciar una devolución es el día siguiente a ${DATE[start]}, hasta la medianoche (hora de la tienda).`
      : `El último día para iniciar una devolución es el día ${n} posterior a ${DATE[start]}, hasta la medianoche (hora de la tienda).`,
  statutoryRights: "Esta política no afecta a tus derechos legales como consumidor.",

  howToStart: [
    "Para iniciar una devolución, escríbenos con tu número de pedido y los artículos que quieres devolver. Te responderemos con las instrucciones y la dirección de devolución.",
    "Por favor, no nos envíes nada antes de que hayamos confirmado tu devolución.",
  ],

  conditionsIntro: "Para que aceptemos la devolución, los artículos deben:",
  conditions: {
    unused: "estar sin usar y en el mismo estado en que los recibiste",
    originalPackaging: "estar en su embalaje original",
    tagsAttached: "conservar todas sus etiquetas",
  },
  noConditions: "No hay requisitos especiales sobre el estado de los artículos devueltos.",

  finalSaleItems: "Los artículos marcados como venta final no admiten devolución ni cambio.",

  shippingFree: "La devolución es gratuita: nosotros pagamos el envío.",
  shippingFlat: (fee) => `Por cada devolución descontamos de tu reembolso una tarifa fija de envío de ${fee}.`,
  shippingCustomer: "Los gastos de envío de la devolución corren de tu cuenta. Te recomendamos un envío con seguimiento.",

  refundToOriginal:
    "Cuando recibamos y revisemos tu devolución, te reembolsaremos con el mismo método de pago que usaste en el pedido. El reembolso puede tardar unos días en aparecer en tu cuenta.",
  restockingFee: (percent) => `Descontamos de tu reembolso una tarifa de reposición del ${percent} del precio de cada artículo devuelto.`,
  storeCredit: "En lugar de un reembolso, puedes elegir saldo para comprar en nuestra tienda.",
  storeCreditBonus: (percent) => `Si eliges saldo para la tienda, recibes un ${percent} más del valor de los artículos devueltos.`,

  exchangesYes: "En lugar de un reembolso, puedes cambiar un artículo por otra talla u otro producto.",
  exchangesNo: "No hacemos cambios. Si quieres otro artículo, devuelve el original para obtener el reembolso y haz un nuevo pedido.",

  summary: {
    finalSale: "Todas las ventas son definitivas",
    within: (n, start, free) => `${free ? "Devoluciones gratuitas" : "Devoluciones"} hasta ${days(n)} después ${SUMMARY_AFTER[start]}`,
    noTimeLimit: (free) => (free ? "Devoluciones gratuitas, sin límite de tiempo" : "Devoluciones sin límite de tiempo"),
    shippingFee: (fee) => `envío de la devolución: ${fee}`,
    restockingFee: (percent) => `tarifa de reposición del ${percent}`,
  },
};

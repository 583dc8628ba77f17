import type { WindowStart } from "../policy";
import { plural } from "./plural";
import type { PolicyWording } from "./types";

/** French typography: a no-break space before ":" and inside « ». */
const NBSP = "\u00a0";
const days = (n: number) => plural("fr", n, { one: "# jour", other: "# jours" });

const FROM: Record<WindowStart, string> = {
  order: "à compter de la date de votre commande",
  fulfillment: "à compter de l'expédition de votre commande",
  delivery: "à compter de la livraison",
};
const DATE: Record<WindowStart, string> = {
  order: "la date de commande",
  fulfillment: "la date d'expédition",
  delivery: "la date de livraison",
};
const SUMMARY_FROM: Record<WindowStart, string> = {
  order: "à compter de l'achat",
  fulfillment: "à compter de l'expédition",
  delivery: "à compter de la livraison",
};

export const fr: PolicyWording = {
  sentenceGap: " ",
  title: "Politique de retour et de remboursement",
  headings: {
    window: "Retours",
    howToStart: "Comment effectuer un retour",
    conditions: "État des articles retournés",
    finalSale: "Articles ni repris ni échangés",
    shipping: "Frais de retour",
    refunds: "Remboursements",
    exchanges: "Échanges",
    note: "Informations complémentaires",
  },

  finalSaleOnly: `Toutes les ventes sont définitives${NBSP}: nous n'acceptons ni retours ni échanges.`,
  noTimeLimit: `Vous pouvez nous retourner vos articles à tout moment${NBSP}: il n'y a pas de délai.`,
  within: (n, start) => `Vous disposez de ${days(n)} ${FROM[start]} pour nous retourner un article.`,
  lastDay: (n, start) =>
    n === 1
      ? `Le dernier jour pour demander un retour est le lendemain de ${DATE[start]}, jusqu'à minuit (heure de la boutique).`
      : `Le dernier jour pour demander un retour est le ${n}e jour suivant ${DATE[start]}, jusqu'à minuit (heure de la boutique).`,
  statutoryRights: "Cette politique ne porte pas atteinte à vos droits légaux.",

  howToStart: [
    "Pour effectuer un retour, contactez-nous en indiquant votre numéro de commande et les articles concernés. Nous vous répondrons avec la marche à suivre et l'adresse de retour.",
    "Merci de ne rien nous renvoyer avant que nous ayons confirmé votre retour.",
  ],

  conditionsIntro: `Pour être acceptés, les articles retournés doivent${NBSP}:`,
  conditions: {
    unused: "être inutilisés et dans l'état où vous les avez reçus",
    originalPackaging: "être dans leur emballage d'origine",
    tagsAttached: "avoir encore toutes leurs étiquettes",
  },
  noConditions: "Nous n'imposons aucune condition particulière quant à l'état des articles retournés.",

  finalSaleItems: "Les articles signalés comme vente finale ne sont ni repris ni échangés.",

  shippingFree: `Le retour est gratuit${NBSP}: les frais d'envoi sont à notre charge.`,
  shippingFlat: (fee) => `Des frais de retour forfaitaires de ${fee} par retour sont déduits de votre remboursement.`,
  shippingCustomer: "Les frais de retour sont à votre charge. Nous vous conseillons un envoi avec suivi.",

  refundToOriginal:
    "Dès réception et vérification de votre retour, nous vous remboursons sur le moyen de paiement utilisé pour la commande. Le remboursement peut mettre quelques jours à apparaître sur votre compte.",
  restockingFee: (percent) => `Des frais de remise en stock de ${percent} du prix de chaque article retourné sont déduits de votre remboursement.`,
  storeCredit: "Au lieu d'un remboursement, vous pouvez choisir un avoir à utiliser dans notre boutique.",
  storeCreditBonus: (percent) => `Si vous choisissez un avoir, vous recevez ${percent} de plus que la valeur des articles retournés.`,

  exchangesYes: "Au lieu d'être remboursé, vous pouvez échanger un article contre une autre taille ou un autre produit.",
  exchangesNo:
    "Nous ne proposons pas d'échanges. Pour obtenir un autre article, retournez l'article d'origine pour être remboursé et passez une nouvelle commande.",

  summary: {
    finalSale: "Toutes les ventes sont définitives",
    within: (n, start, free) => `${free ? "Retours gratuits" : "Retours"} sous ${days(n)} ${SUMMARY_FROM[start]}`,
    noTimeLimit: (free) => (free ? "Retours gratuits, sans limite de temps" : "Retours acceptés, sans limite de temps"),
    shippingFee: (fee) => `${fee} de frais de retour`,
    restockingFee: (percent) => `${percent} de frais de remise en stock`,
  },
};

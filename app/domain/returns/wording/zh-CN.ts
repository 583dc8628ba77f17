import type { WindowStart } from "../policy";
import type { PolicyWording } from "./types";

const AFTER: Record<WindowStart, string> = { order: "下单", fulfillment: "发货", delivery: "送达" };
const DATE: Record<WindowStart, string> = { order: "下单日期", fulfillment: "发货日期", delivery: "送达日期" };
const SUMMARY_AFTER: Record<WindowStart, string> = { order: "购买", fulfillment: "发货", delivery: "送达" };

export const zhCN: PolicyWording = {
  sentenceGap: "",
  title: "退货与退款政策",
  headings: {
    window: "退货",
    howToStart: "如何申请退货",
    conditions: "退货商品要求",
    finalSale: "不退不换商品",
    shipping: "退货运费",
    refunds: "退款",
    exchanges: "换货",
    note: "其他说明",
  },

  finalSaleOnly: "所有商品一经售出，概不退换。",
  noTimeLimit: "您可以随时退货，没有时间限制。",
  within: (n, start) => `您可在${AFTER[start]}后 ${n} 天内申请退货。`,
  lastDay: (n, start) =>
    n === 1
      ? `申请退货的最后一天是${DATE[start]}的次日，截止到当天午夜（以店铺时间为准）。`
      : `申请退货的最后一天是${DATE[start]}后的第 ${n} 天，截止到当天午夜（以店铺时间为准）。`,
  statutoryRights: "本政策不影响您依法享有的消费者权益。",

  howToStart: [
    "如需退货，请联系我们并提供订单号和要退回的商品。我们会回复您退货说明和退货地址。",
    "在我们确认您的退货申请之前，请勿寄回任何商品。",
  ],

  conditionsIntro: "退回的商品须符合以下要求：",
  conditions: {
    unused: "未经使用，且保持收货时的状态",
    originalPackaging: "保留原包装",
    tagsAttached: "所有吊牌完好保留",
  },
  noConditions: "我们对退回商品的状态没有特别要求。",

  finalSaleItems: "标注为不退不换的商品不接受退货或换货。",

  shippingFree: "退货免运费，运费由我们承担。",
  shippingFlat: (fee) => `每次退货收取 ${fee} 的固定退货运费，从退款中扣除。`,
  shippingCustomer: "退货运费由您承担。建议使用可追踪物流的快递服务。",

  refundToOriginal: "我们收到并检查退货后，会将款项退回您的原支付方式。退款可能需要几天时间才能到账。",
  restockingFee: (percent) => `我们将从退款中扣除每件退货商品价格 ${percent} 的重新入库费。`,
  storeCredit: "除退回原支付方式外，您也可以选择店铺余额。",
  storeCreditBonus: (percent) => `选择店铺余额时，您将额外获得退货商品价值 ${percent} 的余额。`,

  exchangesYes: "除退款外，您也可以将商品换成其他尺码或其他商品。",
  exchangesNo: "我们不提供换货服务。如需其他商品，请先退回原商品获得退款，然后重新下单。",

  summary: {
    finalSale: "所有商品一经售出，概不退换",
    within: (n, start, free) => `${SUMMARY_AFTER[start]}后 ${n} 天内${free ? "免费退货" : "可退货"}`,
    noTimeLimit: (free) => (free ? "免费退货，无时间限制" : "随时可退货，无时间限制"),
    shippingFee: (fee) => `退货运费 ${fee}`,
    restockingFee: (percent) => `重新入库费 ${percent}`,
  },
};

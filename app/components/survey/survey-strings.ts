import type { QuestionType } from "~/domain/survey/questions";

/**
 * The admin preview's built-in English wording: what shoppers see when the merchant leaves a question's text empty.
 * The checkout extension has its own locale files (every supported language); the preview only approximates them.
 */
export const BUILT_IN_QUESTIONS: Record<QuestionType, string> = {
  nps: "How likely are you to recommend us to a friend or colleague?",
  csat: "How satisfied are you with your purchase?",
  ces: "How easy was it to place your order?",
  attribution: "How did you hear about us?",
  comment: "Anything else you would like to tell us?",
};

export const BUILT_IN_UI = {
  npsLow: "Not likely",
  npsHigh: "Very likely",
  csatLow: "Very unsatisfied",
  csatHigh: "Very satisfied",
  cesLow: "Very difficult",
  cesHigh: "Very easy",
  other: "Other",
  otherLabel: "Tell us more",
  commentLabel: "Your comment",
  next: "Next",
  send: "Send",
  skip: "Skip",
  thanks: "Thank you for your feedback!",
  skipped: "No problem — thanks for your order.",
  tier: "You are a Gold member",
} as const;

export const QUESTION_NAMES: Record<QuestionType, string> = {
  nps: "Net Promoter Score (NPS)",
  csat: "Customer satisfaction (CSAT)",
  ces: "Customer effort (CES)",
  attribution: "How did you hear about us?",
  comment: "Comment",
};

export const LOCALE_NAMES: Record<string, string> = {
  en: "English",
  fr: "French",
  de: "German",
  es: "Spanish",
  "zh-CN": "Chinese (Simplified)",
};

import { answerFor, type SurveyAnswers } from "./answer";
import { inAudience, type AudienceFacts } from "./audience";
import { surveyQuestions, type SurveyConfig, type SurveyQuestion } from "./questions";
import { meetsCondition } from "./registry";

/**
 * The one-question-at-a-time flow, as a pure state machine. The extension renders it with Polaris web
 * components; the admin preview renders the very same states with Polaris React.
 */
export type FlowState =
  /** `question`: the question's key (a built-in type's name or a custom question's id, `surveyQuestions`). */
  | { step: "question"; question: string; index: number; total: number; answers: SurveyAnswers }
  | { step: "submitting"; answers: SurveyAnswers }
  | { step: "error"; answers: SurveyAnswers }
  | { step: "done"; answers: SurveyAnswers }
  | { step: "skipped" }
  | { step: "empty" };

export type FlowEvent =
  | { type: "answer"; patch: SurveyAnswers }
  | { type: "next" }
  | { type: "skip" }
  | { type: "submitted" }
  | { type: "failed" }
  | { type: "retry" };

/**
 * The questions asked given the answers so far: every enabled question whose audience the shopper is in (targeting,
 * audience.ts) and whose branching condition (`showIf`) the answers meet, in order. A branch appears once its earlier
 * answer is given, and goes if that answer changes. `facts` null: targeting is not applied (the server, which checks
 * answers by branching only: an answer to a question a shopper was not targeted with is still their own answer).
 */
export function askedQuestions(config: SurveyConfig, answers: SurveyAnswers, facts: AudienceFacts | null = null): SurveyQuestion[] {
  const all = surveyQuestions(config).filter((q) => facts === null || inAudience(q.audience, facts));
  const byKey = new Map(all.map((q) => [q.key, q]));
  return all.filter((q) => {
    if (!q.showIf) return true;
    const subject = byKey.get(q.showIf.question);
    return subject !== undefined && meetsCondition(subject, answerFor(answers, subject), q.showIf);
  });
}

/** The answers without those to custom questions the shopper is no longer asked (an earlier answer changed). */
export function askedAnswers(config: SurveyConfig, answers: SurveyAnswers, facts: AudienceFacts | null = null): SurveyAnswers {
  if (!answers.custom) return answers;
  const asked = new Set(askedQuestions(config, answers, facts).map((q) => q.key));
  const custom = Object.fromEntries(Object.entries(answers.custom).filter(([key]) => asked.has(key)));
  const { custom: _all, ...rest } = answers;
  return Object.keys(custom).length ? { ...rest, custom } : rest;
}

/**
 * The questions the shopper has been shown, given the answers so far and the position of the question now shown
 * (`index` in the asked questions; the flow only moves forward): what a saved step reports as `reached`.
 */
export function reachedQuestions(config: SurveyConfig, answers: SurveyAnswers, index: number, facts: AudienceFacts | null = null): string[] {
  return askedQuestions(config, answers, facts)
    .slice(0, index + 1)
    .map((q) => q.key);
}

export function startFlow(config: SurveyConfig, facts: AudienceFacts | null = null): FlowState {
  const questions = askedQuestions(config, {}, facts);
  const first = questions[0];
  return first ? { step: "question", question: first.key, index: 0, total: questions.length, answers: {} } : { step: "empty" };
}

/** Moves the flow on. Answering the last question (or "next" on it) leads to submitting. */
export function advance(config: SurveyConfig, state: FlowState, event: FlowEvent, facts: AudienceFacts | null = null): FlowState {
  if (event.type === "skip") return { step: "skipped" };
  if (state.step === "question") {
    if (event.type === "answer") {
      // Custom answers merge by question id; an answer emptied by the shopper (no option left) is dropped.
      const custom = event.patch.custom ? { ...state.answers.custom, ...event.patch.custom } : state.answers.custom;
      const answers = { ...state.answers, ...event.patch };
      if (custom) answers.custom = custom;
      // An answer can open or close a branch: the count follows.
      return { ...state, answers, total: askedQuestions(config, answers, facts).length };
    }
    if (event.type === "next") {
      const questions = askedQuestions(config, state.answers, facts);
      const at = questions.findIndex((q) => q.key === state.question);
      const next = questions[at + 1];
      if (next) return { ...state, question: next.key, index: at + 1, total: questions.length };
      const answers = askedAnswers(config, state.answers, facts);
      return hasAnswers(answers) ? { step: "submitting", answers } : { step: "skipped" };
    }
  }
  if (state.step === "submitting" && event.type === "submitted") return { step: "done", answers: state.answers };
  if (state.step === "submitting" && event.type === "failed") return { step: "error", answers: state.answers };
  if (state.step === "error" && event.type === "retry") return { step: "submitting", answers: state.answers };
  return state;
}

/** Whether an answer set holds anything to send (an empty `custom` object does not count). */
export function hasAnswers(answers: SurveyAnswers): boolean {
  return Object.entries(answers).some(([key, value]) => key !== "custom" || Object.keys(value as object).length > 0);
}

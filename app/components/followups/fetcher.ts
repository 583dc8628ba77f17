/** Every row's buttons and forms share one fetcher, so the page can announce the result even when the row leaves the list. */
export const FOLLOW_UP_FETCHER_KEY = "followup-action";

import type { FollowUpNoteView, GoodwillView } from "~/domain/followups/views";
import { goodwillOfFollowUps, notesOfFollowUps } from "~/models/followup-work.server";

/**
 * What staff did on follow-ups beyond their status (decision 044), read for a page of them: the authored notes and
 * the goodwill given, as the follow-ups page and the customer page show them (decision 050). Two statements for the
 * whole page, on FollowUpNote (shop, followUpId, id) and FollowUpGoodwill (shop, followUpId).
 */
export interface FollowUpWork {
  notesOf: (followUpId: number) => FollowUpNoteView[];
  goodwillOf: (followUpId: number) => GoodwillView[];
}

export async function followUpWork(shop: string, followUpIds: number[]): Promise<FollowUpWork> {
  const [notes, goodwill] = await Promise.all([notesOfFollowUps(shop, followUpIds), goodwillOfFollowUps(shop, followUpIds)]);
  return {
    notesOf: (id) => notes.filter((n) => n.followUpId === id).map((n) => ({ id: n.id, author: n.author, body: n.body, createdAt: n.createdAt.toISOString() })),
    goodwillOf: (id) =>
      goodwill
        .filter((g) => g.followUpId === id)
        .map((g) => ({
          id: g.id,
          kind: g.kind,
          points: g.points,
          reward: g.reward,
          code: g.code,
          status: g.status,
          refusal: g.refusal,
          reason: g.reason,
          staff: g.staff,
          createdAt: g.createdAt.toISOString(),
        })),
  };
}

import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, FormLayout, InlineStack, Link, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { formatDate, formatDateTime } from "~/domain/dates";
import { OrderLink, orderText } from "../OrderLink";
import type { FollowUpActionResult, FollowUpView } from "~/domain/followups/views";
import { ContactDetails } from "./ContactDetails";
import { flowOutcomeText, formatAge, KIND_LABELS, STATUS_ACTIONS, STATUS_LABELS, statusTone } from "./format";
import { GoodwillSection } from "./GoodwillSection";
import { NotesSection } from "./NotesSection";
import { ScoreBadges } from "./ScoreBadges";
import { FOLLOW_UP_FETCHER_KEY } from "./fetcher";

/** What the queue's items pick from: the shop's staff (owners) and the rewards it offers (goodwill codes). */
export interface FollowUpChoices {
  staff: { userId: string; name: string }[];
  rewards: { id: number; title: string }[];
}

interface FollowUpItemProps {
  item: FollowUpView;
  /** The loader's clock, for the age. */
  now: string;
  /** The shop's IANA time zone, for dates. */
  timezone: string;
  choices: FollowUpChoices;
}

/** The owner picker's value for an owner typed before staff were listed: kept unless another is picked. */
const KEEP_OWNER = "keep";

/**
 * One follow-up: order, customer, scores, the shopper's comment (as text), owner, notes, status and age, with
 * buttons for the next status and an inline form for status, owner and notes. Marked answers only offer "Unmark".
 * The parent remounts it (key) when the follow-up changes, which resets the form.
 */
export function FollowUpItem({ item, now, timezone, choices }: FollowUpItemProps) {
  const fetcher = useFetcher<FollowUpActionResult>({ key: FOLLOW_UP_FETCHER_KEY });
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState(item.status);
  const initialOwner = item.ownerUserId ?? (item.owner ? KEEP_OWNER : "");
  const [owner, setOwner] = useState(initialOwner);
  const [dismissed, setDismissed] = useState<unknown>(null);

  const mineInFlight = fetcher.state !== "idle" && fetcher.formData?.get("id") === String(item.id);
  const pendingStatus = mineInFlight ? fetcher.formData?.get("status") : null;
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const failed = result && !result.ok && result.id === item.id && result !== dismissed ? result : undefined;
  const errors = failed?.errors ?? {};

  const recovery = item.kind === "recovery";
  const age = formatAge(item.createdAt, now);
  const titleId = `followup-${item.id}-title`;
  const editorId = `followup-${item.id}-editor`;
  const order = `order ${orderText(item.orderName, item.orderId)}`;
  const actions = recovery ? (STATUS_ACTIONS[item.status] ?? []) : [];
  const statusOptions = [item.status, ...actions.map((a) => a.to)].map((value) => ({ label: STATUS_LABELS[value] ?? value, value }));
  const ownerOptions = [
    { label: "Unassigned", value: "" },
    ...(item.owner && !item.ownerUserId ? [{ label: `${item.owner} (typed before staff were listed)`, value: KEEP_OWNER }] : []),
    ...choices.staff.map((s) => ({ label: s.name, value: s.userId })),
  ];
  // A picked owner no longer listed (never the case for staff the app has seen) still shows as itself.
  if (item.ownerUserId && !choices.staff.some((s) => s.userId === item.ownerUserId)) ownerOptions.push({ label: item.owner ?? item.ownerUserId, value: item.ownerUserId });
  const flowText = recovery ? null : flowOutcomeText(item.flow, item.kind);

  const submitStatus = (to: string) => fetcher.submit({ intent: "update", id: String(item.id), status: to }, { method: "post", action: "/app/followups" });
  const unmark = () => fetcher.submit({ intent: "unmark", responseId: String(item.responseId), action: item.kind }, { method: "post", action: "/app/followups" });
  const cancel = () => {
    setEditing(false);
    setStatus(item.status);
    setOwner(initialOwner);
    setDismissed(result ?? null);
  };

  return (
    <li aria-labelledby={titleId} data-followup-id={item.id} data-status={item.status} style={{ listStyle: "none" }}>
      <Box padding="400" borderBlockStartWidth="025" borderColor="border">
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h3" variant="headingSm" id={titleId}>
                {"Order "}
                <OrderLink orderId={item.orderId} name={item.orderName} />
              </Text>
              <Badge tone={statusTone(item.status)}>{STATUS_LABELS[item.status] ?? item.status}</Badge>
              {item.overdue ? <Badge tone="critical">Overdue</Badge> : null}
              {recovery ? null : <Badge tone="info">{KIND_LABELS[item.kind] ?? item.kind}</Badge>}
            </InlineStack>
            <Text as="span" tone="subdued">
              <time dateTime={item.createdAt} title={formatDateTime(item.createdAt, timezone)}>
                {`${recovery ? "Opened" : "Marked"} ${age === "just now" ? age : `${age} ago`}`}
              </time>
            </Text>
          </InlineStack>
          <InlineStack gap="300" blockAlign="center">
            <Text as="span">
              {"Customer: "}
              {item.customerId ? (
                <Link url={`/app/customers/${encodeURIComponent(item.customerId)}`}>{item.customerName ?? `Customer ${item.customerId}`}</Link>
              ) : (
                "guest or not linked yet"
              )}
            </Text>
            <ScoreBadges scores={item} />
            {item.trigger.length ? <Text as="span" tone="subdued">{`Opened by ${item.trigger.join(", ")}`}</Text> : null}
          </InlineStack>
          {item.overdueAt ? (
            <Text as="p" tone={item.overdue ? "critical" : "subdued"}>
              {`${item.overdue ? "Overdue: contact was due" : "Contact by"} ${formatDateTime(item.overdueAt, timezone)}`}
            </Text>
          ) : null}
          {recovery && item.customerId ? <ContactDetails contact={item.contact} earlierAnswers={item.earlierAnswers} order={order} timezone={timezone} /> : null}
          {recovery && !item.customerId ? (
            <Text as="p" tone="subdued">
              A guest order: no customer account to e-mail or give goodwill to. Reach them from the order in Shopify.
            </Text>
          ) : null}
          {flowText ? <Text as="p">{flowText}</Text> : null}
          <div style={{ whiteSpace: "pre-wrap" }}>
            {item.comment ? (
              <Text as="p" breakWord>{`“${item.comment}”`}</Text>
            ) : (
              <Text as="p" tone="subdued">No comment</Text>
            )}
          </div>
          {recovery ? (
            <InlineStack gap="400">
              <Text as="span">
                <Text as="span" tone="subdued">Owner: </Text>
                {item.owner ?? "Unassigned"}
              </Text>
              {item.resolvedAt ? <Text as="span" tone="subdued">{`Resolved ${formatDate(item.resolvedAt, timezone)}`}</Text> : null}
            </InlineStack>
          ) : null}
          {recovery ? (
            <NotesSection followUpId={item.id} noteLog={item.noteLog} legacyNotes={item.notes} order={order} timezone={timezone} />
          ) : item.notes ? (
            <div style={{ whiteSpace: "pre-wrap" }}>
              <Text as="p" breakWord>
                <Text as="span" tone="subdued">Notes: </Text>
                {item.notes}
              </Text>
            </div>
          ) : null}
          {recovery && item.customerId ? (
            <GoodwillSection followUpId={item.id} goodwill={item.goodwill} rewards={choices.rewards} order={order} timezone={timezone} />
          ) : null}
          <InlineStack gap="200">
            {actions.map((action) => (
              <Button
                key={action.to}
                onClick={() => submitStatus(action.to)}
                loading={pendingStatus === action.to && !editing}
                disabled={mineInFlight}
                accessibilityLabel={`${action.label}: ${order}`}
              >
                {action.label}
              </Button>
            ))}
            {recovery ? (
              <Button
                variant="plain"
                onClick={() => (editing ? cancel() : setEditing(true))}
                ariaExpanded={editing}
                ariaControls={editorId}
                accessibilityLabel={`Edit status and owner: ${order}`}
              >
                {editing ? "Close" : "Edit status and owner"}
              </Button>
            ) : (
              <Button onClick={unmark} loading={mineInFlight} accessibilityLabel={`Unmark ${KIND_LABELS[item.kind] ?? item.kind}: ${order}`}>
                Unmark
              </Button>
            )}
          </InlineStack>
          {failed && !editing ? (
            <Banner tone="critical" title="Not saved" onDismiss={() => setDismissed(failed)}>
              {Object.values(errors).map((message) => (
                <Text as="p" key={message}>{message}</Text>
              ))}
            </Banner>
          ) : null}
          {editing ? (
            <div id={editorId}>
              <fetcher.Form method="post" action="/app/followups">
                <input type="hidden" name="intent" value="update" />
                <input type="hidden" name="id" value={item.id} />
                <FormLayout>
                  {errors.form || errors.id ? <Banner tone="critical" title={errors.form ?? errors.id ?? ""} /> : null}
                  <FormLayout.Group>
                    <Select label="Status" name="status" options={statusOptions} value={status} onChange={setStatus} error={errors.status} />
                    <Select
                      label="Owner"
                      options={ownerOptions}
                      value={owner}
                      onChange={setOwner}
                      helpText={choices.staff.length ? "Staff who have opened Afterglow." : "Staff appear here once they have opened Afterglow."}
                      error={errors.ownerUserId ?? errors.owner}
                    />
                  </FormLayout.Group>
                  {/* The owner is sent only when changed: an owner typed before staff were listed stays until another is picked. */}
                  {owner !== initialOwner ? <input type="hidden" name="ownerUserId" value={owner === KEEP_OWNER ? "" : owner} /> : null}
                  <InlineStack gap="200">
                    <Button submit variant="primary" loading={mineInFlight}>
                      Save
                    </Button>
                    <Button onClick={cancel}>Cancel</Button>
                  </InlineStack>
                </FormLayout>
              </fetcher.Form>
            </div>
          ) : null}
        </BlockStack>
      </Box>
    </li>
  );
}

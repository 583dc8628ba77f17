import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, FormLayout, InlineStack, Link, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formatDate, formatDateTime } from "~/domain/dates";
import { MAX_NOTES_LENGTH, MAX_OWNER_LENGTH } from "~/domain/followups/actions";
import { OrderLink, orderText } from "../OrderLink";
import type { FollowUpActionResult, FollowUpView } from "~/domain/followups/views";
import { formatAge, KIND_LABELS, STATUS_ACTIONS, STATUS_LABELS, statusTone } from "./format";
import { ScoreBadges } from "./ScoreBadges";
import { FOLLOW_UP_FETCHER_KEY } from "./fetcher";

interface FollowUpItemProps {
  item: FollowUpView;
  /** The loader's clock, for the age. */
  now: string;
  /** The shop's IANA time zone, for dates. */
  timezone: string;
}

/**
 * One follow-up: order, customer, scores, the shopper's comment (as text), owner, notes, status and age, with
 * buttons for the next status and an inline form for status, owner and notes. Marked answers only offer "Unmark".
 * The parent remounts it (key) when the follow-up changes, which resets the form.
 */
export function FollowUpItem({ item, now, timezone }: FollowUpItemProps) {
  const fetcher = useFetcher<FollowUpActionResult>({ key: FOLLOW_UP_FETCHER_KEY });
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState(item.status);
  const [owner, setOwner] = useState(item.owner ?? "");
  const [notes, setNotes] = useState(item.notes ?? "");
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

  const submitStatus = (to: string) => fetcher.submit({ intent: "update", id: String(item.id), status: to }, { method: "post", action: "/app/followups" });
  const unmark = () => fetcher.submit({ intent: "unmark", responseId: String(item.responseId), action: item.kind }, { method: "post", action: "/app/followups" });
  const cancel = () => {
    setEditing(false);
    setStatus(item.status);
    setOwner(item.owner ?? "");
    setNotes(item.notes ?? "");
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
          {item.notes ? (
            <div style={{ whiteSpace: "pre-wrap" }}>
              <Text as="p" breakWord>
                <Text as="span" tone="subdued">Notes: </Text>
                {item.notes}
              </Text>
            </div>
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
                accessibilityLabel={`Edit status, owner and notes: ${order}`}
              >
                {editing ? "Close" : "Edit status, owner and notes"}
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
                    <TextField
                      label="Owner"
                      name="owner"
                      value={owner}
                      onChange={setOwner}
                      maxLength={MAX_OWNER_LENGTH}
                      placeholder="Who follows up"
                      error={errors.owner}
                      autoComplete="off"
                    />
                  </FormLayout.Group>
                  <TextField
                    label="Notes"
                    name="notes"
                    value={notes}
                    onChange={setNotes}
                    multiline={3}
                    maxLength={MAX_NOTES_LENGTH}
                    showCharacterCount
                    placeholder="What was said, what was agreed"
                    helpText="Erased if the customer asks Shopify to delete their data."
                    error={errors.notes}
                    autoComplete="off"
                  />
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

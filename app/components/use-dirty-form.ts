import { useCallback, useMemo, useState } from "react";

/**
 * One settings form's editing state, shared by the Loyalty, Survey and Returns forms (decision 030):
 *
 * - the value being edited, and whether it differs from the saved one (`dirty`, which shows the save bar);
 * - `discard()`: back to the saved value;
 * - which fields the merchant has touched (changed or left), and whether a save was attempted, so a field's error
 *   shows only after it was touched or a save was tried (`shown(errors)`), then follows every keystroke.
 *
 * Errors are keyed by dotted path, as the domain validators report them ("tiers.1.threshold"). A form touches the
 * keys a field's errors can appear under; a `*` segment stands for any one segment ("tiers.*.threshold": every
 * tier's threshold, since each one is checked against its neighbours).
 *
 * When the saved value changes (a save came back through the loader), the form starts afresh from it; a loader
 * revalidation that brings the same saved value (by `equal`) changes nothing, so edits survive filters and polls.
 */
export function useDirtyForm<T>(saved: T, equal: (a: T, b: T) => boolean) {
  const [base, setBase] = useState<T>(saved);
  const [value, setValueState] = useState<T>(saved);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [attempted, setAttempted] = useState(false);

  // A new saved value: adjust during render (React's pattern for state derived from a changed prop).
  if (base !== saved && !equal(base, saved)) {
    setBase(saved);
    setValueState(saved);
    setTouched(new Set());
    setAttempted(false);
  }

  const dirty = useMemo(() => !equal(value, base), [equal, value, base]);

  const touch = useCallback((...keys: string[]) => {
    setTouched((current) => {
      if (keys.every((key) => current.has(key))) return current;
      const next = new Set(current);
      for (const key of keys) next.add(key);
      return next;
    });
  }, []);

  /** Sets the value (or applies a change to it) and marks `touchedKeys` as touched. */
  const setValue = useCallback(
    (next: T | ((current: T) => T), touchedKeys: readonly string[] = []) => {
      setValueState(next);
      if (touchedKeys.length) touch(...touchedKeys);
    },
    [touch],
  );

  const discard = useCallback(() => {
    setValueState(base);
    setTouched(new Set());
    setAttempted(false);
  }, [base]);

  const attempt = useCallback(() => setAttempted(true), []);

  const shown = useCallback(
    (errors: Record<string, string>, isFieldKey?: (key: string) => boolean) => errorsToShow(errors, touched, attempted, isFieldKey),
    [touched, attempted],
  );

  return { value, setValue, saved: base, dirty, discard, touch, attempt, attempted, shown };
}

export type DirtyForm<T> = ReturnType<typeof useDirtyForm<T>>;

/** Does a touched key (possibly with `*` segments) cover this error key? */
export function touchedKeyCovers(touchedKey: string, errorKey: string): boolean {
  if (touchedKey === errorKey) return true;
  if (!touchedKey.includes("*")) return false;
  const pattern = touchedKey.split(".");
  const key = errorKey.split(".");
  return pattern.length === key.length && pattern.every((segment, i) => segment === "*" || segment === key[i]);
}

/**
 * The errors a form shows: all of them once a save was attempted; before that, those under a touched key. An error
 * no field owns (the form as a whole, e.g. "policy") shows as soon as anything was touched.
 */
export function errorsToShow(
  errors: Record<string, string>,
  touched: ReadonlySet<string>,
  attempted: boolean,
  isFieldKey: (key: string) => boolean = () => true,
): Record<string, string> {
  if (attempted) return errors;
  const shown: Record<string, string> = {};
  const keys = [...touched];
  for (const [key, message] of Object.entries(errors)) {
    const visible = isFieldKey(key) ? keys.some((t) => touchedKeyCovers(t, key)) : keys.length > 0;
    if (visible) shown[key] = message;
  }
  return shown;
}

/** Structural equality of plain JSON values (form state: strings, booleans, arrays and objects of them). */
export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

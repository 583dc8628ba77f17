/** `forms.one` or `forms.other` by the language's plural rules; `#` in the form becomes the number. */
export function plural(locale: string, count: number, forms: { one: string; other: string }): string {
  const form = new Intl.PluralRules(locale).select(count) === "one" ? forms.one : forms.other;
  return form.replace("#", String(count));
}

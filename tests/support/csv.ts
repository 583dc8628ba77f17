/**
 * A small, strict RFC 4180 reader for tests: records end with CRLF (a bare CR or LF outside quotes is an error),
 * a quoted field doubles its quotes and must be followed by a comma, CRLF or the end, and a quote inside an unquoted
 * field is an error. Written independently of app/domain/csv.ts so round trips check the encoder, not itself.
 * The text must not start with a BOM (strip and assert it first).
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`invalid CSV at ${i}: ${why} (near ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))})`);
  };
  if (text === "") return records;
  if (text.charCodeAt(0) === 0xfeff) fail("unexpected BOM");
  for (;;) {
    let field = "";
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) fail("unterminated quoted field");
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += ch;
        i += 1;
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === "\n") fail("bare LF outside quotes");
        if (text[i] === '"') fail("quote inside an unquoted field");
        field += text[i];
        i += 1;
      }
    }
    record.push(field);
    if (i >= text.length) {
      records.push(record);
      return records;
    }
    if (text[i] === ",") {
      i += 1;
      continue;
    }
    if (text[i] === "\r" && text[i + 1] === "\n") {
      records.push(record);
      record = [];
      i += 2;
      if (i >= text.length) return records;
      continue;
    }
    fail("expected a comma or CRLF after a field");
  }
}

/**
 * Vendor text (names, descriptions, error bodies) made safe to print on a terminal: control
 * characters are shown as escapes instead of acting. An ESC sequence from a console could
 * otherwise recolour, rewrite or hide lines, set the window title, or (in some terminals) write
 * into the clipboard; `\r` and bidirectional overrides can make a line read differently from
 * what it holds. Newlines and tabs stay (the CLI's own layout) unless `inline` is set, for a
 * single field inside a line. Data formats (CSV, JSON, NDJSON) are never passed through here:
 * they are files for programs, and JSON escapes control characters itself.
 */
export function terminalText(text: string, { inline = false }: { inline?: boolean } = {}): string {
  return text.replace(inline ? UNSAFE_INLINE : UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), bidi embeddings,
// overrides and isolates, and the line and paragraph separators.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const UNSAFE_INLINE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** A stream whose every write goes through terminalText: for stderr, which carries only human text. */
export function terminalStream<T extends { write(text: string): unknown }>(stream: T): T {
  return Object.assign(Object.create(stream) as T, { write: (text: string) => stream.write(terminalText(text)) });
}

/**
 * An error said in words, announced to screen readers; nothing when there is none. A `headline`
 * (in the UI language) goes above a detail that may come from elsewhere in English; `id` lets the
 * field the error is about point at it (`aria-describedby`).
 */
export function Alert({ text, headline, testId, id }: { text: string | null | undefined; headline?: string; testId?: string; id?: string }) {
  if (!text) return null;
  return (
    <p class="error" role="alert" data-testid={testId} id={id}>
      {headline && <strong class="error-headline">{headline}</strong>}
      {headline ? <span class="error-detail">{text}</span> : text}
    </p>
  );
}

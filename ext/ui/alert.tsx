/** An error said in words, announced to screen readers; nothing when there is none. */
export function Alert({ text }: { text: string | null | undefined }) {
  return text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;
}

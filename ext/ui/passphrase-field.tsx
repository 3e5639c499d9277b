import type { ComponentChildren } from 'preact';

export interface PassphraseFieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** `new-password` where a passphrase is being chosen, so password managers offer to save it. */
  autocomplete: 'current-password' | 'new-password';
  name?: string;
  describedBy?: string;
  invalid?: boolean;
  class?: string;
  /** Help text under the input (give it the id named in `describedBy`). */
  children?: ComponentChildren;
}

/** One labelled passphrase input, laid out like every other form field (docs/design.md). */
export function PassphraseField(props: PassphraseFieldProps) {
  return (
    <div class={props.class ? `field ${props.class}` : 'field'}>
      <label for={props.id}>{props.label}</label>
      <input
        type="password"
        id={props.id}
        name={props.name ?? props.id}
        autocomplete={props.autocomplete}
        aria-invalid={props.invalid ? true : undefined}
        aria-describedby={props.describedBy}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.children}
    </div>
  );
}

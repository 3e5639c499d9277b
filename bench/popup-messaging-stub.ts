// Stands in for ext/messaging in the popup bundle the render benchmark builds (popup-render.ts).
let answer = '';

/** The background's reply to `state:get`, as the JSON text a message carries. */
export function answerStateWith(json: string): void {
  answer = json;
}

// Parsed at every call: a real popup gets a fresh deserialized copy of the state from its message.
export async function sendMessage(type: string): Promise<unknown> {
  if (type === 'state:get') return JSON.parse(answer);
  throw new Error(`popup benchmark: no answer for ${type}`);
}

// Stands in for ext/messaging in the popup bundle the render benchmark builds (popup-render.ts).
let answer: () => unknown = () => {
  throw new Error('popup benchmark: no state to answer with');
};

/** What the background does for `state:get`, run at every call as the worker runs it at every popup opening. */
export function answerStateWith(state: () => unknown): void {
  answer = state;
}

// Through JSON at every call: a real popup gets a fresh deserialized copy of the state from its message.
export async function sendMessage(type: string): Promise<unknown> {
  if (type === 'state:get') return JSON.parse(JSON.stringify(answer()));
  throw new Error(`popup benchmark: no answer for ${type}`);
}

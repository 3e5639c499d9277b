/** "1 key", "2 keys": every count KeyAtlas prints in English (the CLI, and messages the extension shows as they are). */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

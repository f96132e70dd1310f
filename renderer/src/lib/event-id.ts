/** An event id `index.offset` split into its numbers. */
export interface EventKey {
  index: number;
  offset: number;
}

/** Parses `12.3`; undefined for anything else. */
export function parseEventKey(id: string): EventKey | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(id);
  if (match === null) {
    return undefined;
  }
  return { index: Number(match[1]), offset: Number(match[2]) };
}

/** Orders two keys by log position. */
export function compareKeys(a: EventKey, b: EventKey): number {
  return a.index - b.index || a.offset - b.offset;
}

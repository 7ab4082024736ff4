import { randomUUID } from 'node:crypto';

/** The identifier seam: rows get UUIDs from here so tests can predict them when they need to. */
export interface IdGenerator {
  newId(): string;
}

export const randomIds: IdGenerator = { newId: () => randomUUID() };

/** Deterministic ids (`00000000-0000-4000-8000-000000000001`, …) for tests. */
export function sequentialIds(start = 1): IdGenerator {
  let next = start;
  return {
    newId: () => `00000000-0000-4000-8000-${(next++).toString(16).padStart(12, '0')}`,
  };
}

import { MAX_PLACEHOLDER_LENGTH, type RedactionSession } from './redaction-session.js';

/**
 * Restores placeholders in streamed text, where one placeholder may arrive split across deltas
 * (`[PHO` + `NE_1]`): a tail that could still become a placeholder is held back until it can't.
 */
export class StreamingRestorer {
  #pending = '';
  constructor(private readonly session: RedactionSession) {}

  /** Text that is safe to emit now. */
  push(delta: string): string {
    const text = this.#pending + delta;
    const open = text.lastIndexOf('[');
    if (
      open === -1 ||
      text.indexOf(']', open) !== -1 ||
      text.length - open > MAX_PLACEHOLDER_LENGTH
    ) {
      this.#pending = '';
      return this.session.restore(text);
    }
    this.#pending = text.slice(open);
    return this.session.restore(text.slice(0, open));
  }

  /** Whatever is still held back, at the end of the stream. */
  flush(): string {
    const rest = this.session.restore(this.#pending);
    this.#pending = '';
    return rest;
  }
}

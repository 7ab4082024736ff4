import type { RedactionSession } from '../pii/redaction-session.js';
import { StreamingRestorer } from '../pii/streaming-restorer.js';
import { restoreToolInput } from './redact-prompt.js';
import type { WireUsage } from './openai-chat-wire.js';

interface ChunkChoice {
  index?: number;
  delta?: {
    content?: string | null;
    tool_calls?: ToolCallDelta[];
    [key: string]: unknown;
  };
  finish_reason?: string | null;
  [key: string]: unknown;
}

interface ToolCallDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

interface Chunk {
  choices?: ChunkChoice[];
  usage?: WireUsage | null;
  error?: unknown;
  [key: string]: unknown;
}

interface HeldToolCall {
  index: number;
  id: string;
  type: string;
  function: { name: string; arguments: string };
}

const FINISHED = /"finish_reason"\s*:\s*"/;

/**
 * Relays an upstream's OpenAI event stream to the gateway's client, event by event: notes the
 * usage (asked of the upstream always, passed on only when the client asked for it), whether the
 * answer finished or failed, and, when the call was redacted, restores placeholders, holding back
 * a tail that may be half a placeholder (`[EMA` + `IL_1]`) and tool calls until they are whole
 * (their arguments are JSON, restored inside the parsed value). Without redaction, events are
 * passed on as they came, parsed only when they carry the usage or an error.
 */
export class ChatStreamRelay {
  usage: WireUsage | null = null;
  finished = false;
  failed = false;
  #partial = '';
  readonly #restorers = new Map<number, StreamingRestorer>();
  readonly #toolCalls = new Map<number, Map<number, HeldToolCall>>();

  constructor(
    private readonly session: RedactionSession | null,
    private readonly clientWantsUsage: boolean,
  ) {}

  /** Upstream text in; the text to send the client now ('' when nothing is whole yet). */
  push(text: string): string {
    let buffered = this.#partial + (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
    const cut = buffered.lastIndexOf('\n\n');
    if (cut === -1) {
      this.#partial = buffered;
      return '';
    }
    this.#partial = buffered.slice(cut + 2);
    buffered = buffered.slice(0, cut);
    let out = '';
    for (const event of buffered.split('\n\n')) out += this.#event(event);
    return out;
  }

  /** At the end of the upstream's stream: whatever was held back. */
  end(): string {
    let out = this.#partial.trim() === '' ? '' : this.#event(this.#partial);
    this.#partial = '';
    if (this.session) {
      // A stream cut before its finish chunk: pass on what was held rather than lose it.
      const held: ChunkChoice[] = [];
      for (const index of new Set([...this.#restorers.keys(), ...this.#toolCalls.keys()])) {
        const choice = this.#release({ index }, index);
        if (choice.delta && Object.keys(choice.delta).length > 0) held.push(choice);
      }
      if (held.length > 0) out += `data: ${JSON.stringify({ choices: held })}\n\n`;
    }
    return out;
  }

  #event(event: string): string {
    let data = '';
    for (const line of event.split('\n')) {
      if (line.startsWith('data:')) data += (data === '' ? '' : '\n') + line.slice(5).trimStart();
    }
    // Comments, keep-alives and the upstream's own [DONE] (the gateway ends the stream itself).
    if (data === '' || data === '[DONE]') return '';
    if (!this.session) {
      if (!this.finished && FINISHED.test(data)) this.finished = true;
      if (!data.includes('"usage"') && !data.includes('"error"')) return `data: ${data}\n\n`;
    }
    let chunk: Chunk;
    try {
      chunk = JSON.parse(data) as Chunk;
    } catch {
      return `data: ${data}\n\n`;
    }
    if (chunk.error) this.failed = true;
    if (chunk.usage) this.usage = chunk.usage;
    const choices = chunk.choices ?? [];
    if (choices.length === 0 && chunk.usage && !this.clientWantsUsage) return '';
    if (!this.session) return `data: ${data}\n\n`;
    let before = '';
    for (const choice of choices) {
      const index = choice.index ?? 0;
      const delta = choice.delta;
      if (delta && typeof delta.content === 'string') {
        delta.content = this.#restorer(index).push(delta.content);
      }
      if (delta?.tool_calls) {
        this.#holdToolCalls(index, delta.tool_calls);
        delete delta.tool_calls;
      }
      if (choice.finish_reason) {
        this.finished = true;
        const released = this.#release({ index }, index);
        if (released.delta?.tool_calls) {
          before += `data: ${JSON.stringify({ ...chunk, usage: undefined, choices: [{ ...released, delta: { tool_calls: released.delta.tool_calls } }] })}\n\n`;
        }
        if (released.delta?.content && delta) {
          delta.content = (delta.content ?? '') + released.delta.content;
        }
      }
    }
    return `${before}data: ${JSON.stringify(chunk)}\n\n`;
  }

  #restorer(index: number): StreamingRestorer {
    let restorer = this.#restorers.get(index);
    if (!restorer) this.#restorers.set(index, (restorer = new StreamingRestorer(this.session!)));
    return restorer;
  }

  #holdToolCalls(choice: number, deltas: ToolCallDelta[]): void {
    let calls = this.#toolCalls.get(choice);
    if (!calls) this.#toolCalls.set(choice, (calls = new Map<number, HeldToolCall>()));
    for (const delta of deltas) {
      const index = delta.index ?? calls.size;
      const call: HeldToolCall = calls.get(index) ?? {
        index,
        id: '',
        type: 'function',
        function: { name: '', arguments: '' },
      };
      if (delta.id) call.id = delta.id;
      if (delta.type) call.type = delta.type;
      if (delta.function?.name) call.function.name += delta.function.name;
      if (delta.function?.arguments) call.function.arguments += delta.function.arguments;
      calls.set(index, call);
    }
  }

  /** What a choice held back (text tail, whole tool calls, restored), now released. */
  #release(choice: ChunkChoice, index: number): ChunkChoice {
    const delta: NonNullable<ChunkChoice['delta']> = {};
    const rest = this.#restorers.get(index)?.flush() ?? '';
    if (rest !== '') delta.content = rest;
    const calls = this.#toolCalls.get(index);
    if (calls && calls.size > 0) {
      delta.tool_calls = [...calls.values()].map((call) => ({
        ...call,
        function: {
          name: call.function.name,
          arguments: restoreToolInput(this.session!, call.function.arguments),
        },
      }));
      calls.clear();
    }
    return { ...choice, delta, finish_reason: null };
  }
}

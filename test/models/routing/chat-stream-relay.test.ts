import { describe, expect, it } from 'vitest';
import { RedactionSession } from '../../../src/models/pii/redaction-session.js';
import { ChatStreamRelay } from '../../../src/models/routing/chat-stream-relay.js';

const event = (payload: unknown) => `data: ${JSON.stringify(payload)}\r\n\r\n`;
const chunk = (delta: unknown, finish: string | null = null) =>
  event({
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

/** Feeds the upstream's text one character at a time (the worst split) and parses what comes out. */
function relayed(relay: ChatStreamRelay, upstream: string) {
  let out = '';
  for (const character of upstream) out += relay.push(character);
  out += relay.end();
  const events = out
    .split('\n\n')
    .filter((part) => part !== '')
    .map((part) => {
      expect(part.startsWith('data: ')).toBe(true);
      return JSON.parse(part.slice('data: '.length)) as {
        choices?: Array<{
          delta: { content?: string; tool_calls?: Array<{ function: { arguments: string } }> };
          finish_reason: string | null;
        }>;
        usage?: unknown;
      };
    });
  const text = events.map((entry) => entry.choices?.[0]?.delta.content ?? '').join('');
  return { events, text };
}

describe('ChatStreamRelay, the pass-through of an event stream', () => {
  const usage = event({ id: 'c1', choices: [], usage: { prompt_tokens: 9, completion_tokens: 3 } });
  const upstream = [
    ': keep-alive\r\n\r\n',
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Mail [EM' }),
    chunk({ content: 'AIL_1] now' }),
    chunk({}, 'stop'),
    usage,
    'data: [DONE]\r\n\r\n',
  ].join('');

  it('restores placeholders split across events and bytes, and notes usage it keeps to itself', () => {
    const session = new RedactionSession();
    session.redact('jo@example.org');
    const relay = new ChatStreamRelay(session, false);
    const { events, text } = relayed(relay, upstream);
    expect(text).toBe('Mail jo@example.org now');
    expect(events.some((entry) => entry.usage)).toBe(false);
    expect(relay.usage).toEqual({ prompt_tokens: 9, completion_tokens: 3 });
    expect(relay.finished).toBe(true);
    expect(relay.failed).toBe(false);
  });

  it('passes events on unchanged without redaction, usage included when the client asked', () => {
    const relay = new ChatStreamRelay(null, true);
    const { events, text } = relayed(relay, upstream);
    expect(text).toBe('Mail [EMAIL_1] now');
    expect(events.at(-1)!.usage).toEqual({ prompt_tokens: 9, completion_tokens: 3 });
    expect(relay.finished).toBe(true);
  });

  it('holds a redacted tool call until it is whole and restores its JSON arguments', () => {
    const session = new RedactionSession();
    session.redact('jo "quoted" <jo@example.org>');
    const call = (args: string, head = false) =>
      chunk({
        tool_calls: [
          {
            index: 0,
            ...(head ? { id: 'call_1', type: 'function' } : {}),
            function: { ...(head ? { name: 'send' } : {}), arguments: args },
          },
        ],
      });
    const relay = new ChatStreamRelay(session, false);
    const { events } = relayed(
      relay,
      [call('{"to":"[EMA', true), call('IL_1]"}'), chunk({}, 'tool_calls')].join(''),
    );
    const calls = events.flatMap((entry) => entry.choices?.[0]?.delta.tool_calls ?? []);
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]!.function.arguments)).toEqual({ to: 'jo@example.org' });
    expect(events.at(-1)!.choices?.[0]?.finish_reason).toBe('tool_calls');
  });

  it('notes a stream that failed or never finished', () => {
    const failed = new ChatStreamRelay(null, false);
    relayed(failed, chunk({ content: 'Hi' }) + event({ error: { message: 'overloaded' } }));
    expect(failed).toMatchObject({ failed: true, finished: false });
    const cut = new ChatStreamRelay(new RedactionSession(), false);
    const { text } = relayed(cut, chunk({ content: 'Half [PHO' }));
    expect(text).toBe('Half [PHO');
    expect(cut.finished).toBe(false);
  });
});

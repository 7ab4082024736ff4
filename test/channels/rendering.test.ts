import { describe, expect, it } from 'vitest';
import {
  markdownToPlainText,
  markdownToWhatsApp,
} from '../../src/channels/meta/markdown-formatting.js';
import {
  renderForMessaging,
  type MessagingText,
} from '../../src/channels/meta/messaging-renderer.js';
import { splitText } from '../../src/channels/meta/split-text.js';
import { renderForWhatsApp } from '../../src/channels/meta/whatsapp-renderer.js';
import type { Choice, MessagePart } from '../../src/core/message.js';

const choices = (count: number, title = (index: number) => `Option ${index + 1}`): Choice[] =>
  Array.from({ length: count }, (_, index) => ({ id: `choice:${index + 1}`, title: title(index) }));

const reply = (text: string, offered: Choice[] = []): MessagePart[] => [
  { type: 'text', text },
  ...(offered.length > 0 ? [{ type: 'choices' as const, choices: offered }] : []),
];

describe('Markdown to WhatsApp formatting', () => {
  it('turns bold, italic, strike, headings, links and bullets into WhatsApp marks', () => {
    expect(
      markdownToWhatsApp(
        '## Opening hours\n**Mon–Fri** 9–6, *Sat* 10–4, ~~Sun~~ closed.\n* Repairs: [book here](https://shop.example/book)\n- Kit: __in stock__',
      ),
    ).toBe(
      '*Opening hours*\n*Mon–Fri* 9–6, _Sat_ 10–4, ~Sun~ closed.\n- Repairs: book here (https://shop.example/book)\n- Kit: *in stock*',
    );
  });

  it('leaves code blocks alone (as WhatsApp monospace) and keeps inline code and snake_case', () => {
    expect(markdownToWhatsApp('Use `order_id` like this:\n```js\nconst **x** = 1;\n```')).toBe(
      'Use `order_id` like this:\n```const **x** = 1;```',
    );
  });

  it('strips the marks for Messenger and Instagram, which show plain text', () => {
    expect(
      markdownToPlainText('# Hi\n**Bold** and *soft* and `code` and [a link](https://x.example)'),
    ).toBe('Hi\nBold and soft and code and a link (https://x.example)');
  });
});

describe('splitText', () => {
  it('splits at paragraphs, then lines, then sentences, then spaces, within the limit', () => {
    const paragraphs = `${'a'.repeat(60)}\n\n${'b'.repeat(60)}`;
    expect(splitText(paragraphs, 100)).toEqual(['a'.repeat(60), 'b'.repeat(60)]);
    const sentences = `${'One sentence here. '.repeat(8)}End`;
    const pieces = splitText(sentences, 50);
    expect(pieces.every((piece) => piece.length <= 50)).toBe(true);
    expect(pieces[0]).toMatch(/\.$/);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(sentences.replace(/\s+/g, ' ').trim());
  });

  it('never cuts an emoji in half, even in text without spaces', () => {
    const emoji = '🚲'.repeat(30);
    const pieces = splitText(emoji, 7);
    expect(pieces.join('')).toBe(emoji);
    expect(pieces.every((piece) => piece.length <= 7 && !/[\ud800-\udbff]$/.test(piece))).toBe(
      true,
    );
  });
});

describe('WhatsApp rendering', () => {
  it('renders up to 3 short choices as reply buttons with the text as the body', () => {
    const [message, ...rest] = renderForWhatsApp(reply('**How** can I help?', choices(3)));
    expect(rest).toEqual([]);
    expect(message).toEqual({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: '*How* can I help?' },
        action: {
          buttons: [1, 2, 3].map((index) => ({
            type: 'reply',
            reply: { id: `choice:${index}`, title: `Option ${index}` },
          })),
        },
      },
    });
  });

  it('renders 4–10 choices, or titles too long for buttons, as a list with full titles kept', () => {
    const [list] = renderForWhatsApp(reply('Pick a service', choices(10)));
    expect(list).toMatchObject({
      type: 'interactive',
      interactive: { type: 'list', action: { button: 'Choose' } },
    });
    const long = renderForWhatsApp(
      reply(
        'Pick',
        choices(2, (index) => `A very long service name number ${index}`),
      ),
    );
    expect(long[0]).toMatchObject({
      interactive: {
        type: 'list',
        action: {
          sections: [
            {
              rows: [
                {
                  id: 'choice:1',
                  title: 'A very long service nam…',
                  description: 'A very long service name number 0',
                },
                expect.anything(),
              ],
            },
          ],
        },
      },
    });
  });

  it('renders more than 10 choices as a numbered menu in text', () => {
    const [text] = renderForWhatsApp(reply('Which bike?', choices(12)));
    expect(text).toMatchObject({ type: 'text' });
    expect(text?.type === 'text' && text.text.body).toMatch(
      /^Which bike\?\n\n1\. Option 1\n[\s\S]*12\. Option 12\nReply with the number/,
    );
  });

  it('splits long text at 4,096 characters and puts choices after it', () => {
    const paragraph = 'The workshop checks brakes, gears and wheels. '.repeat(60);
    const contents = renderForWhatsApp(reply(`${paragraph}\n\n${paragraph}`, choices(2)));
    expect(contents.length).toBeGreaterThanOrEqual(2);
    for (const content of contents) {
      if (content.type === 'text') expect(content.text.body.length).toBeLessThanOrEqual(4096);
      if (content.type === 'interactive') {
        expect((content.interactive.body as { text: string }).text.length).toBeLessThanOrEqual(
          1024,
        );
      }
    }
    expect(contents.at(-1)).toMatchObject({ type: 'interactive', interactive: { type: 'button' } });
  });

  it('offers choices without text with a short prompt, and renders nothing for an empty reply', () => {
    expect(renderForWhatsApp([{ type: 'choices', choices: choices(2) }])).toMatchObject([
      { interactive: { body: { text: 'Choose an option:' } } },
    ]);
    expect(renderForWhatsApp([{ type: 'text', text: '  ' }])).toEqual([]);
  });
});

describe('Messenger and Instagram rendering', () => {
  it('sends plain text with choices as quick replies on the last piece (13 at most)', () => {
    const contents = renderForMessaging(
      reply('**Welcome!** ' + 'More text. '.repeat(250), choices(3)),
      'messenger',
    ) as MessagingText[];
    expect(contents.length).toBe(2);
    expect(contents.every((content) => content.text.length <= 2000)).toBe(true);
    expect(contents[0]!.text.startsWith('Welcome!')).toBe(true);
    expect(contents[0]!.quick_replies).toBeUndefined();
    expect(contents[1]!.quick_replies).toEqual(
      [1, 2, 3].map((index) => ({
        content_type: 'text',
        title: `Option ${index}`,
        payload: `choice:${index}`,
      })),
    );
    const many = renderForMessaging(reply('Pick one', choices(14)), 'instagram') as MessagingText[];
    expect(many).toHaveLength(1);
    expect(many[0]?.text).toMatch(/14\. Option 14/);
    expect(many[0]?.quick_replies).toBeUndefined();
  });
});

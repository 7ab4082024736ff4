import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.js';
import { chunkPassages } from '../../src/tools/knowledge/chunk-passages.js';
import { detectFormat, extractDocument } from '../../src/tools/knowledge/extract-document.js';
import { buildDocx, buildPdf } from './support/document-files.js';

const encode = (text: string) => new TextEncoder().encode(text);

async function refusal(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isParleyError(error)) throw new Error(`expected a ParleyError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('reading documents', () => {
  it('reads a PDF page by page, with its metadata title', async () => {
    const pdf = buildPdf(
      [
        ['You may return any bike within 30 days of purchase.', 'Keep the receipt.'],
        ['Refunds reach your card within 5 working days.'],
      ],
      'Returns policy',
    );
    const document = await extractDocument(pdf, 'pdf', 'returns.pdf');
    expect(document.title).toBe('Returns policy');
    const passages = chunkPassages(document.blocks);
    expect(passages.map((passage) => passage.page)).toEqual([1, 2]);
    expect(passages[0]!.text).toContain('return any bike within 30 days');
    expect(passages[1]!.text).toBe('Refunds reach your card within 5 working days.');
  });

  it('reads a DOCX with its headings as sections', async () => {
    const docx = buildDocx([
      { text: 'Warranty', heading: 1 },
      { text: 'Frames carry a lifetime warranty against defects.' },
      { text: 'Claims', heading: 2 },
      { text: 'Send a photo of the damage & your order number.' },
    ]);
    const document = await extractDocument(docx, 'docx', 'warranty.docx');
    expect(document.title).toBe('Warranty');
    expect(chunkPassages(document.blocks)).toEqual([
      {
        section: 'Warranty',
        page: null,
        text: 'Frames carry a lifetime warranty against defects.',
      },
      {
        section: 'Warranty › Claims',
        page: null,
        text: 'Send a photo of the damage & your order number.',
      },
    ]);
  });

  it('reads HTML (title, headings, no navigation or scripts) and Markdown', async () => {
    const html = await extractDocument(
      encode(
        '<html><head><title>Delivery &amp; pickup</title><script>var x = 1;</script></head><body><nav>Home | Shop</nav><h1>Delivery</h1><p>We deliver <a href="https://example.com">in town</a> on weekdays.</p><h2>Fees</h2><p>Free over 50 euros.</p></body></html>',
      ),
      'html',
      'delivery.html',
    );
    expect(html.title).toBe('Delivery & pickup');
    expect(chunkPassages(html.blocks)).toEqual([
      { section: 'Delivery', page: null, text: 'We deliver in town on weekdays.' },
      { section: 'Delivery › Fees', page: null, text: 'Free over 50 euros.' },
    ]);

    const markdown = await extractDocument(
      encode(
        'Intro line before any heading.\n\n# Service\n\nWe **repair** all [bikes](https://x.test).\n\nTune-ups\n--------\n\nA tune-up takes one day.\n',
      ),
      'markdown',
      'service.md',
    );
    expect(markdown.title).toBe('Service');
    expect(chunkPassages(markdown.blocks)).toEqual([
      { section: '', page: null, text: 'Intro line before any heading.' },
      { section: 'Service', page: null, text: 'We repair all bikes.' },
      { section: 'Service › Tune-ups', page: null, text: 'A tune-up takes one day.' },
    ]);

    const text = await extractDocument(encode('First para.\n\nSecond para.'), 'text', 'a.txt');
    expect(chunkPassages(text.blocks).map((passage) => passage.text)).toEqual([
      'First para.\n\nSecond para.',
    ]);
  });

  it('refuses damaged files, unknown types, binary and non-UTF-8 text with the reason', async () => {
    expect(await refusal(extractDocument(encode('%PDF-1.4 not really'), 'pdf', 'a.pdf'))).toEqual({
      code: 'unprocessable',
      message: expect.stringContaining('the PDF is damaged') as string,
    });
    expect(await refusal(extractDocument(encode('hello'), 'pdf', 'a.pdf'))).toMatchObject({
      code: 'unprocessable',
      message: expect.stringContaining('not a PDF file') as string,
    });
    expect(
      await refusal(extractDocument(new Uint8Array([80, 75, 3, 4, 0, 0]), 'docx', 'a.docx')),
    ).toMatchObject({
      code: 'unprocessable',
      message: expect.stringContaining('DOCX is damaged') as string,
    });
    expect(
      await refusal(extractDocument(new Uint8Array([0xff, 0xfe, 0x41]), 'text', 'a.txt')),
    ).toMatchObject({
      code: 'unprocessable',
      message: expect.stringContaining('not UTF-8') as string,
    });
    expect(await refusal(extractDocument(encode('a\u0000b'), 'text', 'a.txt'))).toMatchObject({
      code: 'unprocessable',
      message: expect.stringContaining('binary') as string,
    });
    expect(await refusal(Promise.resolve().then(() => detectFormat('image/png', 'a.png')))).toEqual(
      { code: 'unsupported_media_type', message: expect.stringContaining('"image/png"') as string },
    );
    expect(detectFormat('application/octet-stream', 'notes.MD')).toBe('markdown');
    expect(detectFormat('text/plain; charset=utf-8', 'notes')).toBe('text');
  });
});

describe('chunking', () => {
  it('gathers paragraphs up to the target size and opens each passage with the last one', () => {
    const paragraphs = Array.from(
      { length: 6 },
      (_, index) => `Paragraph ${index + 1} ${'word '.repeat(40).trim()}.`,
    );
    const passages = chunkPassages(
      [
        { kind: 'heading', level: 1, text: 'Care' },
        ...paragraphs.map((text) => ({ kind: 'paragraph' as const, text, page: null })),
      ],
      { targetChars: 500, maxPieceChars: 400, overlapChars: 300 },
    );
    expect(passages.length).toBeGreaterThan(1);
    for (const [index, passage] of passages.entries()) {
      expect(passage.section).toBe('Care');
      if (index > 0) {
        const previousLast = passages[index - 1]!.text.split('\n\n').pop()!;
        expect(passage.text.startsWith(previousLast)).toBe(true);
      }
    }
    // Every paragraph is in some passage.
    for (const paragraph of paragraphs) {
      expect(passages.some((passage) => passage.text.includes(paragraph))).toBe(true);
    }
  });

  it('cuts a long paragraph between sentences, and never carries text across headings', () => {
    const sentence = 'Bikes are serviced in the order they arrive at the workshop. ';
    const passages = chunkPassages(
      [
        { kind: 'heading', level: 1, text: 'Workshop' },
        { kind: 'paragraph', text: sentence.repeat(30).trim(), page: null },
        { kind: 'heading', level: 1, text: 'Rentals' },
        { kind: 'paragraph', text: 'Rentals start at nine.', page: null },
      ],
      { targetChars: 600, maxPieceChars: 300, overlapChars: 200 },
    );
    const workshop = passages.filter((passage) => passage.section === 'Workshop');
    expect(workshop.length).toBeGreaterThan(2);
    for (const passage of workshop) {
      expect(passage.text.length).toBeLessThanOrEqual(600 + 300);
      expect(passage.text.endsWith('workshop.')).toBe(true);
    }
    expect(passages.at(-1)).toEqual({
      section: 'Rentals',
      page: null,
      text: 'Rentals start at nine.',
    });
  });
});

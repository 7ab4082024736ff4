import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { loadCustomerImages } from '../../src/agent/customer-images.js';
import type { Message, MessagePart } from '../../src/core/message.js';
import { createLocalBlobStore } from '../../src/store/local-blob-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGatewayWorld, type GatewayWorld } from '../models/support/gateway-fixture.js';
import { scriptedModel, type ScriptedModel } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';
import { contactEntry, inbound, whatsappWebhook } from './fixtures/whatsapp-webhooks.js';
import { eventually } from '../support/eventually.js';
import { startMetaParley, type MetaParley } from './support/meta-parley.js';

// A real 1×1 PNG: what a vision model would be handed.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The last user message of a recorded prompt, its parts simplified for comparison. */
function lastUserMessage(prompt: LanguageModelV3Prompt) {
  const user = prompt.filter((message) => message.role === 'user').at(-1)!;
  return user.content.map((part) => {
    if (part.type === 'text') return { text: part.text };
    if (part.type !== 'file') return { other: (part as { type: string }).type };
    return {
      file: part.mediaType,
      bytes:
        part.data instanceof Uint8Array
          ? Buffer.from(part.data).toString('base64')
          : JSON.stringify(part.data),
    };
  });
}

describe.each(backends)("customers' photos and the model (%s)", (backend) => {
  let counter = 0;
  /** A customer sends a captioned photo on WhatsApp; resolves once the agent has answered. */
  async function customerSendsPhoto(meta: MetaParley, model: ScriptedModel) {
    counter += 1;
    const customer = {
      waId: `44770097${counter}001`,
      userId: `US.44770097${counter}001`,
      name: `Photo ${counter}`,
    };
    const mediaId = `vision-photo-${backend}-${counter}`;
    meta.graph.addMedia(mediaId, { bytes: PHOTO, mimeType: 'image/png' });
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        contacts: [contactEntry(customer)],
        messages: [
          inbound(
            'image',
            { image: { id: mediaId, mime_type: 'image/png', caption: 'Is this tyre worn out?' } },
            { from: customer.waId, from_user_id: customer.userId },
          ),
        ],
      }),
    );
    await eventually('the model to be asked', () =>
      Promise.resolve(model.calls.length > 0 ? true : undefined),
    );
    return model.calls[0]!.prompt;
  }

  describe('a model that reads images', () => {
    let meta: MetaParley;
    let model: ScriptedModel;
    beforeAll(async () => {
      model = scriptedModel([{ text: 'Yes, the tread is worn: time for a new one.' }]);
      meta = await startMetaParley({
        backend,
        model: { ...model.binding, acceptsImages: true },
      });
    });
    afterAll(() => meta.stop());

    it('gets the photo itself, as an image part read from the blob store, with its caption', async () => {
      const prompt = await customerSendsPhoto(meta, model);
      expect(lastUserMessage(prompt)).toEqual([
        { text: '[The customer sent this photo]' },
        { file: 'image/png', bytes: PHOTO.toString('base64') },
        { text: 'Is this tyre worn out?' },
      ]);
    });
  });

  describe('a model that does not', () => {
    let meta: MetaParley;
    let model: ScriptedModel;
    beforeAll(async () => {
      model = scriptedModel([{ text: 'I cannot see photos; could you describe it?' }]);
      meta = await startMetaParley({ backend, model: model.binding });
    });
    afterAll(() => meta.stop());

    it('gets a note that a photo was sent, and the caption, but no bytes', async () => {
      const prompt = await customerSendsPhoto(meta, model);
      expect(lastUserMessage(prompt)).toEqual([
        { text: '[The customer sent a photo, which you cannot see]' },
        { text: 'Is this tyre worn out?' },
      ]);
    });
  });
});

describe('the images capability in the business file', () => {
  let world: GatewayWorld;
  beforeAll(async () => {
    world = await openGatewayWorld('pglite');
  });
  afterAll(() => world.close());

  const entry = (images?: boolean) => ({
    provider: 'openai-compatible',
    model: 'qwen2.5-vl',
    baseUrl: 'http://localhost:11434/v1',
    ...(images === undefined ? {} : { images }),
  });

  it('sends images only when every model on the route reads them', () => {
    const vision = world.gateway({
      catalog: { eyes: entry(true) },
      tasks: { 'customer-replies': 'eyes' },
    });
    expect(vision.bindingFor('customer-replies')?.acceptsImages).toBe(true);
    const mixed = world.gateway({
      catalog: { eyes: entry(true), blind: entry() },
      tasks: { 'customer-replies': { primary: 'eyes', fallbacks: ['blind'] } },
    });
    // The fallback would be handed photos it cannot read: notes for all.
    expect(mixed.bindingFor('customer-replies')?.acceptsImages).toBe(false);
  });
});

describe('which photos a vision model is shown', () => {
  it('the newest customer photos, at most three, each small enough and in a format models read', async () => {
    const blobs = createLocalBlobStore(await mkdtemp(join(tmpdir(), 'parley-vision-')));
    const businessId = randomUUID();
    const put = (bytes: Uint8Array, contentType: string) =>
      blobs.put({ businessId, bytes, contentType });
    const photo = (blobKey: string): MessagePart => ({
      type: 'media',
      kind: 'image',
      mimeType: 'image/png',
      blobKey,
    });
    const message = (author: Message['author'], parts: MessagePart[], seq: number): Message => ({
      id: randomUUID(),
      seq,
      businessId,
      conversationId: randomUUID(),
      channel: 'whatsapp',
      direction: author === 'customer' ? 'inbound' : 'outbound',
      author,
      authorUserId: null,
      parts,
      text: 'photo',
      channelMessageId: null,
      status: 'received',
      statusError: null,
      createdAt: new Date(),
    });
    const oldest = await put(PHOTO, 'image/png');
    const huge = await put(new Uint8Array(6 * 1024 * 1024), 'image/jpeg');
    const tiff = await put(PHOTO, 'image/tiff');
    const recent = [await put(PHOTO, 'image/png'), await put(PHOTO, 'image/webp')];
    const byAgent = await put(PHOTO, 'image/png');
    const unknown = `${businessId}/${randomUUID()}.png`;

    const images = await loadCustomerImages(
      [
        message('customer', [photo(oldest)], 1),
        message('customer', [photo(huge), photo(tiff)], 2),
        message('customer', [photo(recent[0]!), { type: 'text', text: 'and' }], 3),
        message('agent', [photo(byAgent)], 4),
        message('customer', [photo(unknown), photo(recent[1]!)], 5),
      ],
      blobs,
    );
    // The three newest customer photos are the WebP, the unknown key and the PNG: the unknown
    // one is skipped, and the limit is not refilled with older photos.
    expect([...images.keys()].sort()).toEqual([...recent].sort());
    expect(images.get(recent[1]!)).toEqual({
      bytes: new Uint8Array(PHOTO),
      mediaType: 'image/webp',
    });
  });
});

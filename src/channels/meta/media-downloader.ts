import type { BlobStore } from '../../core/blob-store.js';
import type { MessagePart } from '../../core/message.js';
import type { Transcriber } from '../../core/transcriber.js';
import type { GraphClient } from './graph-client.js';
import type { MetaAccountDirectory, MetaChannel } from './meta-account-directory.js';

type MediaPart = Extract<MessagePart, { type: 'media' }>;

export interface MediaDownloaderDependencies {
  graph: GraphClient;
  accounts: MetaAccountDirectory;
  blobs: BlobStore;
  transcriber: Transcriber | null;
  /** WhatsApp documents may be 100 MB; the default keeps a bad actor from filling the disk. */
  maxBytes?: number;
  onProblem?: (problem: string) => void;
}

/**
 * Downloads a message's media into the blob store as soon as it arrives: WhatsApp media ids are
 * valid 7 days but their download URLs only 5 minutes, Instagram's CDN links expire too. Voice
 * notes are transcribed when a speech-to-text endpoint is configured. Failures are recorded on the
 * part (`downloadError`) and never lose the message.
 */
export function createMediaDownloader(deps: MediaDownloaderDependencies) {
  const maxBytes = deps.maxBytes ?? 100 * 1024 * 1024;

  async function fetchBytes(
    businessId: string,
    channel: MetaChannel,
    part: MediaPart,
  ): Promise<
    { ok: true; bytes: Uint8Array; contentType: string | null } | { ok: false; error: string }
  > {
    if (channel === 'whatsapp' && part.providerMediaId) {
      const account = deps.accounts.whatsapp(businessId);
      if (!account) return { ok: false, error: 'WhatsApp is not connected for this business' };
      const lookup = await deps.graph.get(
        deps.graph.url(part.providerMediaId),
        account.accessToken,
      );
      if (!lookup.ok) {
        return {
          ok: false,
          error: `media lookup failed: ${lookup.error.code ?? lookup.error.httpStatus} ${lookup.error.title}`,
        };
      }
      const url = typeof lookup.body.url === 'string' ? lookup.body.url : null;
      if (!url) return { ok: false, error: 'media lookup answered without a URL' };
      const downloaded = await deps.graph.download(url, account.accessToken, maxBytes);
      if (!downloaded.ok) return downloaded;
      const mimeType = typeof lookup.body.mime_type === 'string' ? lookup.body.mime_type : null;
      return { ...downloaded, contentType: part.mimeType ?? mimeType ?? downloaded.contentType };
    }
    if (part.providerUrl) return deps.graph.download(part.providerUrl, null, maxBytes);
    return { ok: false, error: 'the message names no media to download' };
  }

  async function transcribe(
    businessId: string,
    contactId: string | null,
    part: MediaPart,
    bytes: Uint8Array,
    mimeType: string | null,
  ) {
    if (!deps.transcriber || (part.kind !== 'voice' && part.kind !== 'audio')) return {};
    try {
      const transcript = await deps.transcriber.transcribe({
        businessId,
        contactId,
        bytes,
        mimeType,
        filename: `voice${mimeType?.includes('ogg') ? '.ogg' : mimeType?.includes('mpeg') ? '.mp3' : '.m4a'}`,
      });
      return { transcript };
    } catch (error) {
      deps.onProblem?.(`transcription failed: ${(error as Error).message}`);
      return {};
    }
  }

  /**
   * The parts with media downloaded (blob keys set) and voice notes transcribed; `contactId` is
   * the sender, whose audio the egress log and their budget are charged with.
   */
  return async function downloadMedia(
    businessId: string,
    channel: MetaChannel,
    parts: readonly MessagePart[],
    contactId: string | null = null,
  ): Promise<MessagePart[]> {
    return Promise.all(
      parts.map(async (part): Promise<MessagePart> => {
        if (part.type !== 'media' || part.blobKey !== undefined) return part;
        const fetched = await fetchBytes(businessId, channel, part);
        if (!fetched.ok) {
          deps.onProblem?.(`media download failed: ${fetched.error}`);
          return { ...part, downloadError: fetched.error };
        }
        const blobKey = await deps.blobs.put({
          businessId,
          bytes: fetched.bytes,
          contentType: fetched.contentType,
        });
        const mimeType = part.mimeType ?? fetched.contentType;
        return {
          ...part,
          mimeType,
          blobKey,
          ...(await transcribe(businessId, contactId, part, fetched.bytes, mimeType)),
        };
      }),
    );
  };
}

export type MediaDownloader = ReturnType<typeof createMediaDownloader>;

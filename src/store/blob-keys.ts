import { randomUUID } from 'node:crypto';

/** `<business id>/<blob id>[.ext]`: what every blob store hands out and the media route reads. */
export const BLOB_KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}(\.[a-z0-9]{1,8})?$/;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'audio/ogg': '.ogg',
  'audio/mpeg': '.mp3',
  'audio/mp4': '.m4a',
  'audio/aac': '.aac',
  'audio/amr': '.amr',
  'video/mp4': '.mp4',
  'video/3gpp': '.3gp',
  'application/pdf': '.pdf',
};

/** A content type without parameters, lower-cased (`audio/ogg; codecs=opus` → `audio/ogg`). */
export function bareContentType(contentType: string | null): string | null {
  return contentType?.split(';')[0]?.trim().toLowerCase() || null;
}

/** A new key for a business's blob, with an extension that tells its type at a glance. */
export function newBlobKey(businessId: string, contentType: string | null): string {
  const type = bareContentType(contentType);
  return `${businessId}/${randomUUID()}${(type && EXTENSIONS[type]) ?? ''}`;
}

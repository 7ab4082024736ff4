import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../core/blob-store.js';

const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}(\.[a-z0-9]{1,8})?$/;

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

/**
 * Media in a local folder: `<dir>/<business id>/<blob id>.<ext>`, with its content type beside it.
 * Files are written under a temporary name and renamed, so a crash never leaves half a file.
 */
export function createLocalBlobStore(directory: string): BlobStore {
  return {
    async put({ businessId, bytes, contentType }) {
      const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? null;
      const key = `${businessId}/${randomUUID()}${(type && EXTENSIONS[type]) ?? ''}`;
      const path = join(directory, key);
      await mkdir(join(directory, businessId), { recursive: true });
      const temporary = `${path}.partial`;
      await writeFile(temporary, bytes);
      await writeFile(`${path}.json`, JSON.stringify({ contentType: type }));
      await rename(temporary, path);
      return key;
    },
    async get(key) {
      if (!KEY.test(key)) return null;
      const path = join(directory, key);
      try {
        const [bytes, meta] = await Promise.all([
          readFile(path),
          readFile(`${path}.json`, 'utf8').catch(() => '{}'),
        ]);
        const { contentType } = JSON.parse(meta) as { contentType?: string | null };
        return { bytes: new Uint8Array(bytes), contentType: contentType ?? null };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}

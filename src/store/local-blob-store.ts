import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../core/blob-store.js';
import { BLOB_KEY, bareContentType, newBlobKey } from './blob-keys.js';

/**
 * Media in a local folder: `<dir>/<business id>/<blob id>.<ext>`, with its content type beside it.
 * Files are written under a temporary name and renamed, so a crash never leaves half a file.
 */
export function createLocalBlobStore(directory: string): BlobStore {
  return {
    async put({ businessId, bytes, contentType }) {
      const type = bareContentType(contentType);
      const key = newBlobKey(businessId, type);
      const path = join(directory, key);
      await mkdir(join(directory, businessId), { recursive: true });
      const temporary = `${path}.partial`;
      await writeFile(temporary, bytes);
      await writeFile(`${path}.json`, JSON.stringify({ contentType: type }));
      await rename(temporary, path);
      return key;
    },
    async get(key) {
      if (!BLOB_KEY.test(key)) return null;
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

import { open } from 'node:fs/promises';

/** Whether the file starts like a GGUF model (magic `GGUF`, version 2 or 3): a cheap sanity check. */
export async function readGgufVersion(path: string): Promise<number | null> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(8);
    const { bytesRead } = await file.read(header, 0, 8, 0);
    if (bytesRead < 8 || header.toString('ascii', 0, 4) !== 'GGUF') return null;
    const version = header.readUInt32LE(4);
    return version === 2 || version === 3 ? version : null;
  } finally {
    await file.close();
  }
}

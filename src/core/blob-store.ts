/** Where downloaded media lives: a local folder by default; keys are opaque to callers. */
export interface BlobStore {
  /** Stores the bytes and returns the key to read them back with. */
  put(input: {
    businessId: string;
    bytes: Uint8Array;
    contentType: string | null;
    hint?: string;
  }): Promise<string>;
  /** The bytes and content type, or null when the key is unknown. */
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string | null } | null>;
}

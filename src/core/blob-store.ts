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

/** An S3-compatible bucket for media (AWS S3, MinIO, Cloudflare R2, Ceph…), path-style. */
export interface S3BlobSettings {
  /** The service's base URL, such as `https://s3.eu-west-1.amazonaws.com` or `http://minio:9000`. */
  endpoint: string;
  bucket: string;
  /** The SigV4 signing region (`auto` for R2). */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

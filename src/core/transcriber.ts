/** Speech to text for voice notes; absent when no endpoint is configured. */
export interface Transcriber {
  /** The words spoken in the audio, or throws when the endpoint fails. */
  transcribe(input: {
    /** Whose voice note: routed by that business's models and data-class policy. */
    businessId?: string;
    /** Whose voice it is: the egress log and the contact's budget name them. */
    contactId?: string | null;
    bytes: Uint8Array;
    mimeType: string | null;
    filename: string;
  }): Promise<string>;
}

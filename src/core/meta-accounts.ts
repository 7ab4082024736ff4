/**
 * A business's accounts on Meta's messaging platforms, as its configuration gives them. Secrets
 * (tokens, app secrets) come from environment variables through the business file's `${NAME}`.
 */
export interface WhatsAppAccount {
  /** Routes inbound webhooks to the business and addresses sends (`/<id>/messages`). */
  phoneNumberId: string;
  wabaId: string | null;
  accessToken: string;
  /** The Meta app's secret: signs webhooks (`X-Hub-Signature-256`). */
  appSecret: string;
  /** What Meta's verification request must present (`hub.verify_token`). */
  verifyToken: string;
  /** Throughput budget of the number: 80 by default, 1,000 once upgraded, 20 for coexistence. */
  messagesPerSecond: number;
  /** Sent when a reply finds the 24-hour window closed (error 131047); null tells the owner. */
  windowClosedTemplate: { name: string; language: string } | null;
  /**
   * Sent for an appointment reminder outside the 24-hour window, its body parameters filled with
   * the service, the date and the time (business time zone); absent or null: not sendable then.
   */
  appointmentReminderTemplate?: { name: string; language: string } | null;
}

/**
 * Conversation routing (Meta's Handover Protocol): another app answers by default and Parley
 * listens on standby. When a person takes a conversation over in Parley's console, Parley takes
 * thread control; handing back or resolving passes it to `handBackTo`.
 */
export interface ThreadControlSettings {
  /** The app that gets the thread back (e.g. 263902037430900, the Page inbox). */
  handBackTo: string;
}

export interface MessengerAccount {
  pageId: string;
  pageAccessToken: string;
  appSecret: string;
  verifyToken: string;
  /** Absent or null: Parley holds the thread itself and never calls the handover endpoints. */
  threadControl?: ThreadControlSettings | null;
}

export interface InstagramAccount {
  /** The Instagram professional account id (`entry[].id` of its webhooks). */
  accountId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  /**
   * `instagram`: Instagram Login, sends to graph.instagram.com `/me/messages`. `facebook`: an
   * account linked to a Page, sends through the Page (`/<page id>/messages`) with a Page token.
   */
  login: 'instagram' | 'facebook';
  /** The linked Page, for `login: facebook`. */
  pageId: string | null;
  /** Conversation routing through the linked Page (`login: facebook` only). */
  threadControl?: ThreadControlSettings | null;
}

/** One business's Meta channels; absent ones are not connected. */
export interface MetaChannelAccounts {
  whatsapp?: WhatsAppAccount | undefined;
  messenger?: MessengerAccount | undefined;
  instagram?: InstagramAccount | undefined;
}

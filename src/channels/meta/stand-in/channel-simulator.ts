import { randomBytes } from 'node:crypto';
import type { Choice } from '../../../core/message.js';
import type { MetaChannelAccounts } from '../../../core/meta-accounts.js';
import type { MetaAccountDirectory, MetaChannel } from '../meta-account-directory.js';
import { signWebhookBody } from '../webhook-signature.js';
import {
  customerWebhook,
  messagingReadWebhook,
  whatsappStatusWebhook,
  type CustomerAction,
  type SimulatedCustomer,
} from './customer-webhooks.js';
import type { GraphApiStandIn, GraphRequest } from './graph-api-stand-in.js';

/** One line of a simulated conversation, as the customer's phone would show it. */
export interface SimulatorEntry {
  id: string;
  from: 'customer' | 'business';
  at: string;
  text: string;
  /** Buttons, list rows or quick replies offered with it (tappable in the simulator). */
  choices: Choice[];
  /** How WhatsApp/Messenger would render it. */
  kind: 'text' | 'buttons' | 'list' | 'quick-replies' | 'template';
}

/** Posts a signed webhook to Parley (the server wires it to its own route); returns the status. */
export type WebhookPoster = (
  channel: MetaChannel,
  rawBody: string,
  signature: string,
) => Promise<number>;

/** Accounts for channels the business has not connected, so the simulator can show all three. */
export function simulatedAccounts(existing: MetaChannelAccounts): MetaChannelAccounts {
  const secret = () => randomBytes(24).toString('hex');
  return {
    whatsapp: existing.whatsapp ?? {
      phoneNumberId: '100000000000001',
      wabaId: null,
      accessToken: 'simulator-token',
      appSecret: secret(),
      verifyToken: secret(),
      messagesPerSecond: 80,
      windowClosedTemplate: null,
    },
    messenger: existing.messenger ?? {
      pageId: '100000000000002',
      pageAccessToken: 'simulator-token',
      appSecret: secret(),
      verifyToken: secret(),
    },
    instagram: existing.instagram ?? {
      accountId: '100000000000003',
      accessToken: 'simulator-token',
      appSecret: secret(),
      verifyToken: secret(),
      login: 'instagram',
      pageId: null,
    },
  };
}

/**
 * The console's channel simulator: the owner writes as a customer of WhatsApp, Messenger or
 * Instagram. Each message becomes the webhook Meta would send, signed with the account's app
 * secret and posted to Parley's own webhook route; Parley's answers go to the Graph API stand-in,
 * which the simulator reads back, and it reports them delivered and read like a phone would.
 */
export class ChannelSimulator {
  readonly #written = new Map<string, SimulatorEntry[]>();
  #post: WebhookPoster | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: {
      graph: GraphApiStandIn;
      accounts: MetaAccountDirectory;
      businessId: string;
      /** Pause before a sent message is reported delivered, then read. */
      statusDelayMs?: number;
    },
  ) {}

  /** The business whose accounts the simulator writes to. */
  get businessId(): string {
    return this.deps.businessId;
  }

  /** Wires the simulator to Parley's webhook route and starts answering with statuses. */
  connect(post: WebhookPoster): void {
    this.#post = post;
    this.#unsubscribe?.();
    this.#unsubscribe = this.deps.graph.onRequest((request) => this.#reportStatuses(request));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** The account ids in use, per channel. */
  channels(): Array<{ channel: MetaChannel; accountId: string }> {
    const { accounts, businessId } = this.deps;
    const result: Array<{ channel: MetaChannel; accountId: string }> = [];
    const whatsapp = accounts.whatsapp(businessId);
    const messenger = accounts.messenger(businessId);
    const instagram = accounts.instagram(businessId);
    if (whatsapp) result.push({ channel: 'whatsapp', accountId: whatsapp.phoneNumberId });
    if (messenger) result.push({ channel: 'messenger', accountId: messenger.pageId });
    if (instagram) result.push({ channel: 'instagram', accountId: instagram.accountId });
    return result;
  }

  /** The customer writes (or taps a choice); resolves with Parley's HTTP answer to the webhook. */
  async write(
    channel: MetaChannel,
    customer: SimulatedCustomer,
    action: CustomerAction,
  ): Promise<{ status: number; messageId: string }> {
    const account = this.#account(channel);
    if (!this.#post || !account) throw new Error(`the simulator has no ${channel} account`);
    const { payload, messageId } = customerWebhook(channel, account.id, customer, action);
    const raw = JSON.stringify(payload);
    const status = await this.#post(channel, raw, signWebhookBody(raw, account.secret));
    const entries = this.#written.get(key(channel, customer.id)) ?? [];
    entries.push({
      id: messageId,
      from: 'customer',
      at: new Date().toISOString(),
      text: action.kind === 'text' ? action.text : action.title,
      choices: [],
      kind: 'text',
    });
    this.#written.set(key(channel, customer.id), entries);
    return { status, messageId };
  }

  /** The conversation as the customer's app shows it: their messages and what Parley sent. */
  transcript(channel: MetaChannel, customerId: string): SimulatorEntry[] {
    const sent = this.deps.graph
      .sends()
      .filter(
        (request) =>
          this.#channelOf(request) === channel && recipientOf(channel, request) === customerId,
      )
      .map((request) => toEntry(channel, request));
    return [...(this.#written.get(key(channel, customerId)) ?? []), ...sent].sort((a, b) =>
      a.at.localeCompare(b.at),
    );
  }

  #account(channel: MetaChannel): { id: string; secret: string } | null {
    const { accounts, businessId } = this.deps;
    if (channel === 'whatsapp') {
      const account = accounts.whatsapp(businessId);
      return account ? { id: account.phoneNumberId, secret: account.appSecret } : null;
    }
    if (channel === 'messenger') {
      const account = accounts.messenger(businessId);
      return account ? { id: account.pageId, secret: account.appSecret } : null;
    }
    const account = accounts.instagram(businessId);
    return account ? { id: account.accountId, secret: account.appSecret } : null;
  }

  #channelOf(request: GraphRequest): MetaChannel {
    if (request.body?.messaging_product === 'whatsapp') return 'whatsapp';
    const messenger = this.#account('messenger');
    return messenger && request.path === `${messenger.id}/messages` ? 'messenger' : 'instagram';
  }

  #reportStatuses(request: GraphRequest): void {
    if (!request.providerMessageId || !this.#post) return;
    const channel = this.#channelOf(request);
    const customerId = recipientOf(channel, request);
    const account = this.#account(channel);
    if (!customerId || !this.#written.has(key(channel, customerId)) || !account) return;
    const delay = this.deps.statusDelayMs ?? 400;
    const post = (payload: unknown) => {
      const raw = JSON.stringify(payload);
      void this.#post?.(channel, raw, signWebhookBody(raw, account.secret)).catch(() => {});
    };
    const messageId = request.providerMessageId;
    if (channel === 'whatsapp') {
      for (const [index, status] of (['sent', 'delivered', 'read'] as const).entries()) {
        setTimeout(
          () =>
            post(
              whatsappStatusWebhook(account.id, {
                messageId,
                recipient: customerId,
                status,
                callbackData: request.body?.biz_opaque_callback_data,
              }),
            ),
          delay * (index + 1),
        ).unref();
      }
    } else {
      setTimeout(
        () => post(messagingReadWebhook(channel, account.id, customerId)),
        delay * 2,
      ).unref();
    }
  }
}

function key(channel: MetaChannel, customerId: string): string {
  return `${channel}:${customerId}`;
}

function recipientOf(channel: MetaChannel, request: GraphRequest): string | null {
  const body = request.body ?? {};
  if (channel === 'whatsapp') {
    if (typeof body.to === 'string') return body.to.replace(/^\+/, '');
    return typeof body.recipient === 'string' ? body.recipient : null;
  }
  const recipient = body.recipient as { id?: unknown } | undefined;
  return typeof recipient?.id === 'string' ? recipient.id : null;
}

function toEntry(channel: MetaChannel, request: GraphRequest): SimulatorEntry {
  const body = request.body ?? {};
  const base = {
    id: request.providerMessageId ?? '',
    from: 'business' as const,
    at: request.at.toISOString(),
  };
  if (channel !== 'whatsapp') {
    const message = (body.message ?? {}) as {
      text?: string;
      quick_replies?: Array<{ title: string; payload: string }>;
    };
    const choices = (message.quick_replies ?? []).map((reply) => ({
      id: reply.payload,
      title: reply.title,
    }));
    return {
      ...base,
      text: message.text ?? '',
      choices,
      kind: choices.length > 0 ? 'quick-replies' : 'text',
    };
  }
  if (body.type === 'interactive') {
    const interactive = body.interactive as {
      type: string;
      body?: { text?: string };
      action?: {
        buttons?: Array<{ reply: { id: string; title: string } }>;
        sections?: Array<{ rows: Array<{ id: string; title: string }> }>;
      };
    };
    const choices =
      interactive.type === 'button'
        ? (interactive.action?.buttons ?? []).map((button) => button.reply)
        : (interactive.action?.sections ?? [])
            .flatMap((section) => section.rows)
            .map(({ id, title }) => ({ id, title }));
    return {
      ...base,
      text: interactive.body?.text ?? '',
      choices,
      kind: interactive.type === 'button' ? 'buttons' : 'list',
    };
  }
  if (body.type === 'template') {
    const template = body.template as { name?: string };
    return { ...base, text: `Template: ${template.name ?? ''}`, choices: [], kind: 'template' };
  }
  const text = body.text as { body?: string } | undefined;
  return { ...base, text: text?.body ?? `(${String(body.type)})`, choices: [], kind: 'text' };
}

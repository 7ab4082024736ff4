import type { ChannelKind } from '../../core/channel.js';
import type {
  InstagramAccount,
  MessengerAccount,
  MetaChannelAccounts,
  WhatsAppAccount,
} from '../../core/meta-accounts.js';

export type MetaChannel = Extract<ChannelKind, 'whatsapp' | 'messenger' | 'instagram'>;
export const META_CHANNELS: readonly MetaChannel[] = ['whatsapp', 'messenger', 'instagram'];

/**
 * Which business owns which WhatsApp number, Page and Instagram account: webhooks are routed by
 * these ids, sends use the business's tokens. Built by the composition root from configuration.
 */
export class MetaAccountDirectory {
  readonly #byBusiness = new Map<string, MetaChannelAccounts>();
  readonly #routes = new Map<string, string>();

  /** Connects a business's accounts (replacing what it had). */
  register(businessId: string, accounts: MetaChannelAccounts): void {
    for (const [key, owner] of [...this.#routes]) {
      if (owner === businessId) this.#routes.delete(key);
    }
    this.#byBusiness.set(businessId, accounts);
    if (accounts.whatsapp)
      this.#routes.set(routeKey('whatsapp', accounts.whatsapp.phoneNumberId), businessId);
    if (accounts.messenger)
      this.#routes.set(routeKey('messenger', accounts.messenger.pageId), businessId);
    if (accounts.instagram) {
      this.#routes.set(routeKey('instagram', accounts.instagram.accountId), businessId);
      // Instagram accounts linked to a Page may report the Page as the entry id.
      if (accounts.instagram.pageId) {
        this.#routes.set(routeKey('instagram', accounts.instagram.pageId), businessId);
      }
    }
  }

  /** The business a webhook for this account id belongs to, or null (logged by the caller). */
  businessFor(channel: MetaChannel, accountId: string): string | null {
    return this.#routes.get(routeKey(channel, accountId)) ?? null;
  }

  whatsapp(businessId: string): WhatsAppAccount | null {
    return this.#byBusiness.get(businessId)?.whatsapp ?? null;
  }

  messenger(businessId: string): MessengerAccount | null {
    return this.#byBusiness.get(businessId)?.messenger ?? null;
  }

  instagram(businessId: string): InstagramAccount | null {
    return this.#byBusiness.get(businessId)?.instagram ?? null;
  }

  /** The distinct app secrets that may sign this channel's webhooks. */
  appSecrets(channel: MetaChannel): string[] {
    return this.#distinct(channel, (account) => account.appSecret);
  }

  /** The distinct verify tokens Meta's verification request may present for this channel. */
  verifyTokens(channel: MetaChannel): string[] {
    return this.#distinct(channel, (account) => account.verifyToken);
  }

  /** Whether any business connected this channel. */
  has(channel: MetaChannel): boolean {
    return this.appSecrets(channel).length > 0;
  }

  #distinct(
    channel: MetaChannel,
    pick: (account: { appSecret: string; verifyToken: string }) => string,
  ): string[] {
    const values = new Set<string>();
    for (const accounts of this.#byBusiness.values()) {
      const account = accounts[channel];
      if (account) values.add(pick(account));
    }
    return [...values];
  }
}

function routeKey(channel: MetaChannel, accountId: string): string {
  return `${channel}:${accountId}`;
}

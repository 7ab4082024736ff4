import type { ContactIdentity } from './contacts-api.js';

const KINDS: Record<string, string> = {
  web: 'Web visitor',
  whatsapp: 'WhatsApp',
  messenger: 'Messenger PSID',
  instagram: 'Instagram IGSID',
};

/** "WhatsApp +447700900123", "WhatsApp BSUID …", "Messenger PSID …": how a person reads an id. */
export function identityLabel(identity: ContactIdentity): string {
  if (identity.channel === 'whatsapp') {
    return /^\d{6,20}$/.test(identity.externalId)
      ? `WhatsApp +${identity.externalId}`
      : `WhatsApp BSUID ${identity.externalId}`;
  }
  return `${KINDS[identity.channel] ?? identity.channel} ${identity.externalId}`;
}

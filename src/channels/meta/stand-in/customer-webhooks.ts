import { randomBytes } from 'node:crypto';
import type { MetaChannel } from '../meta-account-directory.js';

/** What a simulated customer does: write, or tap one of the choices Parley offered. */
export type CustomerAction =
  { kind: 'text'; text: string } | { kind: 'choice'; id: string; title: string };

export interface SimulatedCustomer {
  /** WhatsApp: digits of the phone number; Messenger/Instagram: the scoped id. */
  id: string;
  name: string;
}

/**
 * The webhook Meta would send when `customer` acts, in the documented shapes: WhatsApp's
 * `whatsapp_business_account` change with `contacts` and `messages`, or a Messenger/Instagram
 * `messaging` event. Returns the provider message id too.
 */
export function customerWebhook(
  channel: MetaChannel,
  accountId: string,
  customer: SimulatedCustomer,
  action: CustomerAction,
  at = new Date(),
): { payload: unknown; messageId: string } {
  if (channel === 'whatsapp') {
    const messageId = `wamid.SIM${randomBytes(12).toString('hex')}`;
    const content =
      action.kind === 'text'
        ? { type: 'text', text: { body: action.text } }
        : {
            type: 'interactive',
            interactive: {
              type: 'button_reply',
              button_reply: { id: action.id, title: action.title },
            },
          };
    return {
      messageId,
      payload: {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'simulated-waba',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550000000', phone_number_id: accountId },
                  contacts: [{ profile: { name: customer.name }, wa_id: customer.id }],
                  messages: [
                    {
                      from: customer.id,
                      id: messageId,
                      timestamp: String(Math.floor(at.getTime() / 1000)),
                      ...content,
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    };
  }
  const messageId = `m_SIM${randomBytes(12).toString('hex')}`;
  const message =
    action.kind === 'text'
      ? { mid: messageId, text: action.text }
      : { mid: messageId, text: action.title, quick_reply: { payload: action.id } };
  return {
    messageId,
    payload: {
      object: channel === 'messenger' ? 'page' : 'instagram',
      entry: [
        {
          id: accountId,
          time: at.getTime(),
          messaging: [
            {
              sender: { id: customer.id },
              recipient: { id: accountId },
              timestamp: at.getTime(),
              message,
            },
          ],
        },
      ],
    },
  };
}

/** WhatsApp's status webhook for one of the business's messages (`sent`, `delivered`, `read`). */
export function whatsappStatusWebhook(
  accountId: string,
  input: {
    messageId: string;
    recipient: string;
    status: 'sent' | 'delivered' | 'read';
    callbackData?: unknown;
  },
  at = new Date(),
): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'simulated-waba',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: accountId },
              statuses: [
                {
                  id: input.messageId,
                  status: input.status,
                  timestamp: String(Math.floor(at.getTime() / 1000)),
                  recipient_id: input.recipient,
                  ...(typeof input.callbackData === 'string'
                    ? { biz_opaque_callback_data: input.callbackData }
                    : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

/** Messenger's and Instagram's read receipt: everything up to now was seen. */
export function messagingReadWebhook(
  channel: 'messenger' | 'instagram',
  accountId: string,
  customerId: string,
  at = new Date(),
): unknown {
  return {
    object: channel === 'messenger' ? 'page' : 'instagram',
    entry: [
      {
        id: accountId,
        time: at.getTime(),
        messaging: [
          {
            sender: { id: customerId },
            recipient: { id: accountId },
            timestamp: at.getTime(),
            read: { watermark: at.getTime() },
          },
        ],
      },
    ],
  };
}

import type { Appointment } from '../../core/appointments.js';
import type { ChannelSender, DeliveryOutcome } from '../../core/channel.js';
import type { Clock } from '../../core/clock.js';
import type { WhatsAppAccount } from '../../core/meta-accounts.js';
import type { Store } from '../../core/store.js';
import type { ChannelAlerts } from './channel-alerts.js';
import { deliverContents } from './deliver-contents.js';
import type { GraphClient } from './graph-client.js';
import { whatsappFailureAction } from './graph-error-policy.js';
import type { MetaAccountDirectory } from './meta-account-directory.js';
import { PARLEY_MARK } from './payload-reading.js';
import { findRecipient } from './recipient.js';
import type { ReadReceipts } from './read-receipts.js';
import type { SendPacer } from './send-pacer.js';
import { decideWindow } from './service-window.js';
import { renderForWhatsApp, type WhatsAppContent } from './whatsapp-renderer.js';

/** The chunk number a window-closed template is recorded under: never resent after a crash. */
const TEMPLATE_CHUNK = 10_000;

export interface MetaSenderDependencies {
  store: Store;
  graph: GraphClient;
  accounts: MetaAccountDirectory;
  pacer: SendPacer;
  alerts: ChannelAlerts;
  clock: Clock;
  /** Read receipts in flight: a reply waits for its conversation's typing indicator. */
  readReceipts?: Pick<ReadReceipts, 'settled'> | null;
  sleep?: (milliseconds: number) => Promise<void>;
}

/**
 * Sends replies through the WhatsApp Cloud API (`POST /<phone number id>/messages`). Outside the
 * 24-hour window only a template may go: the business's configured one, or the owner is told.
 */
export function createWhatsAppSender(deps: MetaSenderDependencies): ChannelSender {
  return {
    channel: 'whatsapp',
    async deliver(delivery) {
      const { message, conversation } = delivery;
      const account = deps.accounts.whatsapp(message.businessId);
      if (!account) {
        return {
          kind: 'failed',
          error:
            'WhatsApp is not connected for this business: add channels.whatsapp to its business file and restart Parley.',
        };
      }
      const recipient = await findRecipient(
        deps.store,
        message.businessId,
        conversation.contactId,
        'whatsapp',
      );
      if (!recipient) {
        return { kind: 'failed', error: 'The contact has no WhatsApp id to send to.' };
      }
      const addressing =
        recipient.kind === 'phone' ? { to: `+${recipient.id}` } : { recipient: recipient.id };
      const post = (content: WhatsAppContent) =>
        deps.graph.post(deps.graph.url(`${account.phoneNumberId}/messages`), account.accessToken, {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          ...addressing,
          ...content,
          // Echoed on every status webhook: statuses find their message even before the
          // provider's id is recorded.
          biz_opaque_callback_data: `${PARLEY_MARK}${message.id}`,
        });
      const common = {
        store: deps.store,
        pacer: deps.pacer,
        alerts: deps.alerts,
        delivery,
        account: { key: `whatsapp:${account.phoneNumberId}`, perSecond: account.messagesPerSecond },
        recipient: recipient.id,
        post,
        messageIdOf: firstMessageId,
        failureAction: whatsappFailureAction,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
      };
      const windowClosed = (reason: string) =>
        sendWindowClosedTemplate(account, reason, (template) =>
          deliverContents({
            ...common,
            contents: [template],
            firstChunk: TEMPLATE_CHUNK,
            // The refused reply is not retried: wait for the pacer here rather than start over.
            maxInlineWaitMs: 10_000,
            onWindowClosed: (description) =>
              Promise.resolve({ kind: 'failed', error: description, code: '131047' }),
          }),
        );

      // An appointment reminder outside the window goes as the business's reminder template.
      const reminderTemplate = async (): Promise<DeliveryOutcome | null> => {
        const template = account.appointmentReminderTemplate;
        if (!template || message.author !== 'system') return null;
        const appointment = await deps.store.appointments.getByReminderMessage(
          message.businessId,
          message.id,
        );
        if (!appointment) return null;
        const business = await deps.store.businesses.getById(message.businessId);
        return deliverContents({
          ...common,
          contents: [
            reminderTemplateContent(template, appointment, business?.profile.timezone ?? 'UTC'),
          ],
          firstChunk: TEMPLATE_CHUNK,
          maxInlineWaitMs: 10_000,
          onWindowClosed: (description) =>
            Promise.resolve({ kind: 'failed', error: description, code: '131047' }),
        });
      };

      const window = decideWindow({
        channel: 'whatsapp',
        author: message.author,
        lastCustomerMessageAt: await deps.store.customerWindows.lastCustomerMessageAt(
          message.businessId,
          conversation.contactId,
          'whatsapp',
        ),
        now: deps.clock.now(),
      });
      if (window.kind !== 'open') {
        const reminder = await reminderTemplate();
        if (reminder) return reminder;
        return windowClosed(
          window.kind === 'closed' && window.lastCustomerMessageAt
            ? `The customer last wrote on ${window.lastCustomerMessageAt.toISOString()}, more than 24 hours ago, so WhatsApp accepts only approved templates.`
            : 'The customer has not written in the last 24 hours, so WhatsApp accepts only approved templates.',
        );
      }
      await deps.readReceipts?.settled(conversation.id);
      return deliverContents({
        ...common,
        contents: renderForWhatsApp(message.parts),
        onWindowClosed: async (description) =>
          (await reminderTemplate()) ??
          windowClosed(`WhatsApp refused the reply (${description}).`),
      });
    },
  };
}

async function sendWindowClosedTemplate(
  account: WhatsAppAccount,
  reason: string,
  send: (template: WhatsAppContent) => Promise<DeliveryOutcome>,
): Promise<DeliveryOutcome> {
  const template = account.windowClosedTemplate;
  if (!template) {
    return {
      kind: 'failed',
      code: '131047',
      error: `131047 window closed: ${reason} Not sent. Configure channels.whatsapp.templates.windowClosed (an approved template inviting the customer to reply), or reach them another way.`,
    };
  }
  const outcome = await send({
    type: 'template',
    template: { name: template.name, language: { code: template.language } },
  });
  if (outcome.kind !== 'sent') {
    return outcome.kind === 'failed'
      ? {
          ...outcome,
          error: `131047 window closed: ${reason} The template "${template.name}" failed too: ${outcome.error}`,
        }
      : outcome;
  }
  return {
    kind: 'failed',
    code: '131047',
    error: `131047 window closed: ${reason} Sent the template "${template.name}" instead; when the customer answers, the window reopens and the reply can be sent again.`,
  };
}

/**
 * The reminder template with its body parameters: {{1}} the service, {{2}} the date and {{3}} the
 * time, in the business's time zone (as the approved template's sample should show them).
 */
function reminderTemplateContent(
  template: { name: string; language: string },
  appointment: Pick<Appointment, 'serviceName' | 'startsAt'>,
  timeZone: string,
): WhatsAppContent {
  const date = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(appointment.startsAt);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(appointment.startsAt);
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [
        {
          type: 'body',
          parameters: [appointment.serviceName, date, time].map((text) => ({
            type: 'text',
            text,
          })),
        },
      ],
    },
  };
}

function firstMessageId(body: Record<string, unknown>): string | null {
  const messages = body.messages;
  if (!Array.isArray(messages)) return null;
  const first = messages[0] as { id?: unknown } | undefined;
  return typeof first?.id === 'string' ? first.id : null;
}

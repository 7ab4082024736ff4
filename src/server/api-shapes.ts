import { z } from 'zod';
import type { AgentStep } from '../core/agent-step.js';
import type { Business } from '../core/business.js';
import type { Contact } from '../core/contact.js';
import type { Conversation } from '../core/conversation.js';
import type { Message, MessagePart } from '../core/message.js';
import type { User } from '../core/user.js';

/** What the API shows of each entity: explicit, so internal fields never leak by accident. */
export function apiBusiness(business: Business) {
  return { id: business.id, slug: business.slug, name: business.name, profile: business.profile };
}

export function apiUser(user: User) {
  return {
    id: user.id,
    businessId: user.businessId,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}

export function apiContact(contact: Contact | null) {
  return contact
    ? {
        id: contact.id,
        displayName: contact.displayName,
        phone: contact.phone,
        email: contact.email,
      }
    : null;
}

export function apiConversation(conversation: Conversation, contact: Contact | null) {
  return {
    id: conversation.id,
    contactId: conversation.contactId,
    channel: conversation.channel,
    state: conversation.state,
    assignedUserId: conversation.assignedUserId,
    unreadCount: conversation.unreadCount,
    lastMessageAt: conversation.lastMessageAt.toISOString(),
    lastMessagePreview: conversation.lastMessagePreview,
    lastFailure: conversation.lastFailure,
    handoffReason: conversation.handoffReason,
    createdAt: conversation.createdAt.toISOString(),
    contact: apiContact(contact),
  };
}

export function apiMessage(message: Message) {
  return {
    id: message.id,
    seq: message.seq,
    conversationId: message.conversationId,
    channel: message.channel,
    direction: message.direction,
    author: message.author,
    authorUserId: message.authorUserId,
    parts: message.parts,
    text: message.text,
    status: message.status,
    statusError: message.statusError,
    createdAt: message.createdAt.toISOString(),
  };
}

/** What a web chat visitor sees of a message: no staff ids, no delivery internals. */
export function apiVisitorMessage(message: Message) {
  return {
    id: message.id,
    seq: message.seq,
    conversationId: message.conversationId,
    author: message.author,
    parts: message.parts,
    text: message.text,
    createdAt: message.createdAt.toISOString(),
  };
}

export function apiStep(step: AgentStep) {
  return { ...step, createdAt: step.createdAt.toISOString() };
}

// Response schemas for the OpenAPI document.
/** Every kind of `MessagePart` (src/core/message.ts), as the API sends it. */
const partSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('choices'),
    choices: z.array(z.object({ id: z.string(), title: z.string() })),
  }),
  z.object({
    type: z.literal('choice-reply'),
    choiceId: z.string(),
    title: z.string(),
    description: z.string().optional(),
  }),
  z.object({
    type: z.literal('media'),
    kind: z.enum(['image', 'video', 'audio', 'voice', 'document', 'sticker', 'file']),
    mimeType: z.string().nullable(),
    caption: z.string().optional(),
    filename: z.string().optional(),
    providerMediaId: z.string().optional(),
    providerUrl: z.string().optional(),
    sha256: z.string().optional(),
    animated: z.boolean().optional(),
    blobKey: z
      .string()
      .optional()
      .describe('Read the bytes at GET /api/media/{blobKey}; absent until downloaded'),
    downloadError: z.string().optional(),
    transcript: z.string().optional(),
  }),
  z.object({
    type: z.literal('location'),
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
    address: z.string().optional(),
    url: z.string().optional(),
  }),
  z.object({
    type: z.literal('contacts'),
    contacts: z.array(
      z.object({
        name: z.string(),
        phones: z.array(
          z.object({ phone: z.string(), waId: z.string().optional(), type: z.string().optional() }),
        ),
        emails: z.array(z.string()),
        organization: z.string().optional(),
        urls: z.array(z.string()),
        addresses: z.array(z.string()),
        birthday: z.string().optional(),
      }),
    ),
  }),
  z.object({
    type: z.literal('reaction'),
    targetChannelMessageId: z.string(),
    emoji: z.string().nullable().describe('null: the reaction was removed'),
  }),
  z.object({
    type: z.literal('order'),
    catalogId: z.string(),
    text: z.string().optional(),
    items: z.array(
      z.object({
        productRetailerId: z.string(),
        quantity: z.number(),
        itemPrice: z.number(),
        currency: z.string(),
      }),
    ),
  }),
  z.object({
    type: z.literal('form-reply'),
    name: z.string(),
    body: z.string(),
    response: z.unknown(),
  }),
  z.object({
    type: z.literal('reply-to'),
    channelMessageId: z.string(),
    from: z.string().optional(),
  }),
  z.object({ type: z.literal('forwarded'), frequently: z.boolean() }),
  z.object({
    type: z.literal('referral'),
    source: z.string(),
    sourceId: z.string().optional(),
    sourceUrl: z.string().optional(),
    headline: z.string().optional(),
    body: z.string().optional(),
    ref: z.string().optional(),
    clickId: z.string().optional(),
  }),
  z.object({ type: z.literal('revoked'), targetChannelMessageId: z.string() }),
  z.object({
    type: z.literal('notice'),
    notice: z.enum(['welcome-request', 'identity-changed', 'postback', 'story-mention', 'system']),
    text: z.string(),
  }),
  z.object({
    type: z.literal('unsupported'),
    providerType: z.string(),
    detail: z.string().optional(),
  }),
]);
// Does not compile when a kind of MessagePart is missing above.
const partSchemaListsEveryKind: [
  Exclude<MessagePart['type'], z.infer<typeof partSchema>['type']>,
] extends [never]
  ? true
  : false = true;
void partSchemaListsEveryKind;

export const messageSchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  conversationId: z.uuid(),
  channel: z.enum(['web', 'whatsapp', 'messenger', 'instagram']),
  direction: z.enum(['inbound', 'outbound']),
  author: z.enum(['customer', 'agent', 'person', 'system']),
  authorUserId: z.uuid().nullable(),
  parts: z.array(partSchema),
  text: z.string(),
  status: z.enum(['received', 'pending', 'sent', 'delivered', 'read', 'failed']),
  statusError: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const conversationSchema = z.object({
  id: z.uuid(),
  contactId: z.uuid(),
  channel: z.enum(['web', 'whatsapp', 'messenger', 'instagram']),
  state: z.enum(['agent', 'waiting_for_person', 'person', 'resolved']),
  assignedUserId: z.uuid().nullable(),
  unreadCount: z.number().int(),
  lastMessageAt: z.iso.datetime(),
  lastMessagePreview: z.string(),
  lastFailure: z.object({ at: z.string(), code: z.string(), message: z.string() }).nullable(),
  handoffReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  contact: z
    .object({
      id: z.uuid(),
      displayName: z.string().nullable(),
      phone: z.string().nullable(),
      email: z.string().nullable(),
    })
    .nullable(),
});

export const userSchema = z.object({
  id: z.uuid(),
  businessId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['owner', 'staff']),
  createdAt: z.iso.datetime(),
});

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

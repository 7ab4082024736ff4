import { z } from 'zod';
import type { AgentStep } from '../core/agent-step.js';
import type { Business } from '../core/business.js';
import type { Contact } from '../core/contact.js';
import type { Conversation } from '../core/conversation.js';
import type { Message } from '../core/message.js';
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
const partSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('choices'),
    choices: z.array(z.object({ id: z.string(), title: z.string() })),
  }),
  z.object({ type: z.literal('choice-reply'), choiceId: z.string(), title: z.string() }),
]);

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

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ContactProfile, ContactWithIdentities } from '../../core/contact-directory.js';
import type { Contact } from '../../core/contact.js';
import { notFound } from '../../core/errors.js';
import { mergeContacts } from '../../inbox/merge-contacts.js';
import { updateContact } from '../../inbox/update-contact.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { actorOf } from './conversation-routes.js';

const identitySchema = z.object({ channel: z.string(), externalId: z.string() });
const contactSchema = z.object({
  id: z.uuid(),
  displayName: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  vip: z.boolean(),
  flagged: z.boolean(),
  createdAt: z.iso.datetime(),
  identities: z.array(identitySchema),
});
const profileSchema = z.object({
  contact: contactSchema,
  conversations: z.array(
    z.object({
      id: z.uuid(),
      channel: z.string(),
      state: z.string(),
      lastMessageAt: z.iso.datetime(),
      lastMessagePreview: z.string(),
    }),
  ),
  orders: z.array(
    z.object({
      id: z.uuid(),
      number: z.number(),
      status: z.string(),
      currency: z.string(),
      totalMinor: z.number(),
      createdAt: z.iso.datetime(),
    }),
  ),
  appointments: z.array(
    z.object({
      id: z.uuid(),
      serviceName: z.string(),
      staffName: z.string(),
      startsAt: z.iso.datetime(),
      status: z.string(),
    }),
  ),
  lead: z
    .object({
      id: z.uuid(),
      stage: z.string(),
      score: z.number(),
      answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      updatedAt: z.iso.datetime(),
    })
    .nullable(),
});
const idParams = z.object({ id: z.uuid({ message: 'must be a contact id (a UUID)' }) });

function apiContact(contact: Contact, identities: ContactWithIdentities['identities']) {
  return {
    id: contact.id,
    displayName: contact.displayName,
    phone: contact.phone,
    email: contact.email,
    vip: contact.vip,
    flagged: contact.flagged,
    createdAt: contact.createdAt.toISOString(),
    identities,
  };
}

function apiProfile(profile: ContactProfile): z.infer<typeof profileSchema> {
  return {
    contact: apiContact(profile.contact, profile.contact.identities),
    conversations: profile.conversations.map((conversation) => ({
      ...conversation,
      lastMessageAt: conversation.lastMessageAt.toISOString(),
    })),
    orders: profile.orders.map((order) => ({ ...order, createdAt: order.createdAt.toISOString() })),
    appointments: profile.appointments.map((appointment) => ({
      ...appointment,
      startsAt: appointment.startsAt.toISOString(),
    })),
    lead: profile.lead
      ? { ...profile.lead, updatedAt: profile.lead.updatedAt.toISOString() }
      : null,
  };
}

/** The contact panel: search, profile, name and VIP/flagged marks, and merging two contacts. */
export function registerContactRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  const { store } = deps;
  const inbox = { store, live: deps.live, clock: deps.clock };

  api.register(app, {
    method: 'GET',
    url: '/api/contacts',
    summary: 'Contacts whose name, phone, e-mail or a channel id contains q',
    tag: 'contacts',
    auth: 'member',
    query: z.object({
      q: z
        .string()
        .trim()
        .min(2, 'write at least 2 characters to search')
        .max(200, 'must be at most 200 characters'),
      limit: z.coerce.number().int().min(1).max(50).default(10),
    }),
    responses: {
      200: {
        description: 'Matching contacts',
        schema: z.object({ contacts: z.array(contactSchema) }),
      },
      400: { description: 'The search is too short or too long', schema: errorSchema },
    },
    async handler({ principal, query }) {
      const found = await store.contactDirectory.search(principal.businessId, query.q, query.limit);
      return { contacts: found.map((contact) => apiContact(contact, contact.identities)) };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/contacts/:id',
    summary: "A contact's identities across channels, conversations, orders, appointments and lead",
    tag: 'contacts',
    auth: 'member',
    params: idParams,
    responses: {
      200: { description: 'The contact panel', schema: profileSchema },
      404: { description: 'No such contact in this business', schema: errorSchema },
    },
    async handler({ principal, params }) {
      const profile = await store.contactDirectory.profile(principal.businessId, params.id);
      if (!profile) throw notFound('Contact');
      return apiProfile(profile);
    },
  });

  api.register(app, {
    method: 'PATCH',
    url: '/api/contacts/:id',
    summary: "Correct a contact's name, or mark it VIP or flagged (the handoff policy reads both)",
    tag: 'contacts',
    auth: 'member',
    params: idParams,
    body: z
      .strictObject({
        displayName: z.string().max(200, 'must be at most 200 characters').nullable().optional(),
        vip: z.boolean().optional(),
        flagged: z.boolean().optional(),
      })
      .refine((body) => Object.keys(body).length > 0, {
        message: 'send at least one of displayName, vip, flagged',
      }),
    responses: {
      200: { description: 'The changed contact', schema: z.object({ contact: contactSchema }) },
      400: { description: 'A field is not valid', schema: errorSchema },
      404: { description: 'No such contact in this business', schema: errorSchema },
    },
    async handler({ principal, params, body }) {
      const contact = await updateContact(inbox, {
        businessId: principal.businessId,
        contactId: params.id,
        changes: body,
        actor: actorOf(principal),
      });
      const identities = await store.contacts.identities(principal.businessId, contact.id);
      return { contact: apiContact(contact, identities) };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/contacts/:id/merge',
    summary:
      'Merge another contact (the same person) into this one: everything moves, the other is deleted',
    tag: 'contacts',
    auth: 'member',
    params: idParams,
    body: z.strictObject({
      contactId: z.uuid({
        message: 'must be the id (a UUID) of the contact to merge into this one',
      }),
    }),
    responses: {
      200: {
        description: 'The kept contact and how many rows of each kind moved',
        schema: z.object({ contact: contactSchema, moved: z.record(z.string(), z.number()) }),
      },
      400: { description: 'The request is not valid', schema: errorSchema },
      404: { description: 'One of the contacts is not in this business', schema: errorSchema },
      409: {
        description: 'Both have an open conversation on the same channel: resolve one first',
        schema: errorSchema,
      },
    },
    async handler({ principal, params, body }) {
      const result = await mergeContacts(inbox, {
        businessId: principal.businessId,
        keepId: params.id,
        mergeId: body.contactId,
        actor: actorOf(principal),
      });
      const identities = await store.contacts.identities(principal.businessId, result.contact.id);
      return { contact: apiContact(result.contact, identities), moved: result.moved };
    },
  });
}

import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Order } from '../../core/commerce.js';
import type { OrderRepository } from '../../core/commerce-store.js';
import { orderLines, orders } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

type OrderRow = typeof orders.$inferSelect;

export function createOrderRepository(context: RepositoryContext): OrderRepository {
  const { db, ids, clock } = context;
  return {
    async create(input) {
      const now = clock.now();
      const id = ids.newId();
      const totalMinor = input.lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
      await db.insert(orders).values({
        id,
        businessId: input.businessId,
        contactId: input.contactId,
        conversationId: input.conversationId,
        currency: input.currency,
        totalMinor,
        createdAt: now,
        updatedAt: now,
      });
      if (input.lines.length > 0) {
        await db.insert(orderLines).values(
          input.lines.map((line, position) => ({
            id: ids.newId(),
            businessId: input.businessId,
            orderId: id,
            ...line,
            position,
          })),
        );
      }
      const created = await this.getById(input.businessId, id);
      return created!;
    },
    async getById(businessId, id) {
      const rows = await db
        .select()
        .from(orders)
        .where(and(eq(orders.businessId, businessId), eq(orders.id, id)));
      return (await withLines(context, rows))[0] ?? null;
    },
    async getForContact(businessId, contactId, number) {
      const rows = await db
        .select()
        .from(orders)
        .where(
          and(
            eq(orders.businessId, businessId),
            eq(orders.contactId, contactId),
            eq(orders.number, number),
          ),
        );
      return (await withLines(context, rows))[0] ?? null;
    },
    async listForContact(businessId, contactId, limit) {
      const rows = await db
        .select()
        .from(orders)
        .where(and(eq(orders.businessId, businessId), eq(orders.contactId, contactId)))
        .orderBy(desc(orders.createdAt), desc(orders.number))
        .limit(limit);
      return withLines(context, rows);
    },
    async attachPayment(businessId, id, payment) {
      await db
        .update(orders)
        .set({
          paymentProvider: payment.provider,
          paymentSessionId: payment.sessionId,
          paymentUrl: payment.url,
          updatedAt: clock.now(),
        })
        .where(and(eq(orders.businessId, businessId), eq(orders.id, id)));
    },
    async findByPaymentSession(businessId, provider, sessionId) {
      const rows = await db
        .select()
        .from(orders)
        .where(
          and(
            eq(orders.businessId, businessId),
            eq(orders.paymentProvider, provider),
            eq(orders.paymentSessionId, sessionId),
          ),
        );
      return (await withLines(context, rows))[0] ?? null;
    },
    async transition(businessId, id, change) {
      const moved = await db
        .update(orders)
        .set({
          status: change.to,
          updatedAt: change.at,
          ...(change.to === 'paid' ? { paidAt: change.at } : {}),
        })
        .where(
          and(
            eq(orders.businessId, businessId),
            eq(orders.id, id),
            inArray(orders.status, [...change.from]),
          ),
        )
        .returning({ id: orders.id });
      return moved.length === 1 ? this.getById(businessId, id) : null;
    },
  };
}

async function withLines({ db }: RepositoryContext, rows: readonly OrderRow[]): Promise<Order[]> {
  if (rows.length === 0) return [];
  const lines = await db
    .select()
    .from(orderLines)
    .where(
      inArray(
        orderLines.orderId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(asc(orderLines.position));
  return rows.map((row) => ({
    id: row.id,
    businessId: row.businessId,
    contactId: row.contactId,
    conversationId: row.conversationId,
    number: row.number,
    status: row.status,
    currency: row.currency,
    totalMinor: row.totalMinor,
    lines: lines
      .filter((line) => line.orderId === row.id)
      .map((line) => ({
        variantId: line.variantId,
        productTitle: line.productTitle,
        variantTitle: line.variantTitle,
        sku: line.sku,
        unitPriceMinor: line.unitPriceMinor,
        quantity: line.quantity,
        lineTotalMinor: line.lineTotalMinor,
      })),
    paymentProvider: row.paymentProvider,
    paymentSessionId: row.paymentSessionId,
    paymentUrl: row.paymentUrl,
    createdAt: row.createdAt,
    paidAt: row.paidAt,
  }));
}

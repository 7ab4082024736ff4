import type { AgentTool } from '../core/agent-tool.js';
import type { AppointmentSettings } from '../core/appointments.js';
import type { LeadSettings } from '../core/leads.js';
import { createAppointmentTools } from './appointments/appointment-tools.js';
import { getProduct } from './catalog/get-product.js';
import { recommendProducts } from './catalog/recommend-products.js';
import { searchProducts } from './catalog/search-products.js';
import { createLeadTools } from './leads/save-lead.js';
import { addToCart } from './orders/add-to-cart.js';
import { orderStatus } from './orders/order-status.js';
import { placeOrder } from './orders/place-order.js';
import { removeFromCart } from './orders/remove-from-cart.js';
import { viewCart } from './orders/view-cart.js';

/** The catalog and order tools, which need no per-business settings. */
const catalogAndOrderTools: readonly AgentTool[] = [
  searchProducts,
  getProduct,
  recommendProducts,
  addToCart,
  removeFromCart,
  viewCart,
  placeOrder,
  orderStatus,
];

/**
 * The agent's business tools (issue 5), assembled in this one place: catalog, orders,
 * appointments and lead qualification. Each acts only for the conversation's business and
 * contact; `save_lead` is included only when some business qualifies leads.
 */
export function createBusinessTools(settings: {
  appointmentsFor: (businessId: string) => AppointmentSettings;
  /**
   * Given when some business qualifies leads; null for a business without a `leads:` section
   * (its `save_lead` refuses).
   */
  leadsFor?: (businessId: string) => LeadSettings | null;
}): AgentTool[] {
  return [
    ...catalogAndOrderTools,
    ...createAppointmentTools(settings.appointmentsFor),
    ...(settings.leadsFor ? createLeadTools(settings.leadsFor) : []),
  ];
}

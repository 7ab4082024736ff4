import type { AgentTool } from '../core/agent-tool.js';
import { getProduct } from './catalog/get-product.js';
import { recommendProducts } from './catalog/recommend-products.js';
import { searchProducts } from './catalog/search-products.js';
import { addToCart } from './orders/add-to-cart.js';
import { orderStatus } from './orders/order-status.js';
import { placeOrder } from './orders/place-order.js';
import { removeFromCart } from './orders/remove-from-cart.js';
import { viewCart } from './orders/view-cart.js';

/** The business tools (issue 5): catalog, orders… Each is scoped by the conversation's contact. */
export const businessTools: readonly AgentTool[] = [
  searchProducts,
  getProduct,
  recommendProducts,
  addToCart,
  removeFromCart,
  viewCart,
  placeOrder,
  orderStatus,
];

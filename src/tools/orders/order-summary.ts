import { formatMoney } from '../../core/money.js';
import { lineName, type PricedLine } from './priced-cart.js';

/**
 * The order as Parley states it for confirmation, built from the catalog's rows only: whatever
 * the model wrote around it, this is what the customer confirms.
 */
export function composeOrderSummary(
  lines: readonly PricedLine[],
  totalMinor: number,
  currency: string,
): string {
  const items = lines.map(
    (line) =>
      `• ${line.quantity} × ${lineName(line)}: ${formatMoney(line.lineTotalMinor, currency)}`,
  );
  return [
    'Please confirm your order:',
    ...items,
    `Total: ${formatMoney(totalMinor, currency)}`,
    'Tap Confirm (or reply "yes") to place it and get a payment link.',
  ].join('\n');
}

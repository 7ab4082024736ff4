import type { Business } from '../../core/business.js';
import type { Product } from '../../core/catalog.js';

/** A sample storefront with the chat widget embedded exactly as a business would embed it. */
export function renderDemoPage(business: Business | null, products: readonly Product[]): string {
  if (!business) {
    return '<!doctype html><title>Parley demo</title><p>No business is set up yet. Start Parley once to create the demo shop.</p>';
  }
  const currency = new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: business.profile.currency,
  });
  const cards = products
    .map((product) => {
      const prices = product.variants.map((variant) => variant.priceMinor);
      const from = prices.length > 0 ? currency.format(Math.min(...prices) / 100) : '';
      return `<article class="card"><h3>${escapeHtml(product.title)}</h3><p>${escapeHtml(product.description.slice(0, 110))}</p><strong>${escapeHtml(from)}</strong></article>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(business.profile.languages[0] ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(business.name)} — demo shop</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f5f2; }
  header { background: #1d2330; color: #fff; padding: 2.5rem 1.5rem; }
  header h1 { margin: 0 0 .5rem; font-size: 2rem; }
  header p { margin: 0; max-width: 40rem; opacity: .85; }
  main { max-width: 64rem; margin: 2rem auto; padding: 0 1.5rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; }
  .card { background: #fff; border-radius: .75rem; padding: 1rem 1.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  .card h3 { margin: 0 0 .5rem; font-size: 1.05rem; }
  .card p { margin: 0 0 .75rem; color: #555; font-size: .9rem; }
  .note { margin-top: 2rem; color: #666; font-size: .9rem; }
</style>
</head>
<body>
<header><h1>${escapeHtml(business.name)}</h1><p>${escapeHtml(business.profile.description)}</p></header>
<main>
<h2>Popular right now</h2>
<section class="grid">${cards}</section>
<p class="note">This is Parley's demo storefront. The chat button in the corner is the widget a business embeds with one script tag.</p>
</main>
<script src="/widget.js" data-business="${escapeHtml(business.id)}" async></script>
</body>
</html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

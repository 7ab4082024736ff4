/**
 * Promise 2, links: a reply may link only to the business's allowed hosts (its website and the
 * list in its config, subdomains included) and to Parley's own payment pages. A model talked into
 * sending a phishing link by a product description or a customer is stopped here.
 */
export interface LinkViolation {
  kind: 'link';
  text: string;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>()"'`\]]+/giu;
const WWW_PATTERN = /(?<![/\w.@-])www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s<>()"'`\]]*/giu;
// Bare domains with a common top-level domain ("evil-shop.com/pay"); e-mail addresses are not links.
const BARE_DOMAIN_PATTERN =
  /(?<![/\w.@-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|net|org|io|co|uk|shop|store|info|biz|xyz|top|app|link|me|ly|site|online|ru|cn)\b(?![@\w-])(?:\/[^\s<>()"'`\]]*)?/giu;

/**
 * Payment pages: on these hosts only the exact links Parley created are allowed. Anyone can open
 * a checkout page on a payment provider's host, so the host alone proves nothing.
 */
export interface PaymentLinks {
  hosts: readonly string[];
  links: readonly string[];
}

const NO_PAYMENT_LINKS: PaymentLinks = { hosts: [], links: [] };

/** The links in a reply that go anywhere but the allowed hosts and Parley's own payment links. */
export function checkLinks(
  reply: string,
  allowedHosts: readonly string[],
  payments: PaymentLinks = NO_PAYMENT_LINKS,
): LinkViolation[] {
  const violations: LinkViolation[] = [];
  const seen = new Set<string>();
  const found: string[] = [];
  for (const pattern of [URL_PATTERN, WWW_PATTERN, BARE_DOMAIN_PATTERN]) {
    for (const match of reply.matchAll(pattern)) {
      if (found.some((earlier) => earlier.includes(match[0]))) continue;
      found.push(match[0]);
    }
  }
  for (const link of found) {
    const host = hostOf(link);
    if (host !== null && isAllowed(host, allowedHosts)) continue;
    if (host !== null && isAllowed(host, payments.hosts) && isOwnPaymentLink(link, payments)) {
      continue;
    }
    if (seen.has(link)) continue;
    seen.add(link);
    violations.push({ kind: 'link', text: link });
  }
  return violations;
}

/** Hosts from URLs or origins given in config ("https://shop.example", "shop.example"). */
export function hostsOf(urls: readonly string[]): string[] {
  return urls.flatMap((url) => {
    const host = hostOf(url);
    return host ? [host] : [];
  });
}

function hostOf(link: string): string | null {
  try {
    const url = new URL(/^https?:\/\//i.test(link) ? link : `https://${link}`);
    // A URL with credentials ("https://shop.example@evil.example") is never allowed.
    if (url.username || url.password) return null;
    return url.hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
}

function isOwnPaymentLink(link: string, payments: PaymentLinks): boolean {
  // Sentence punctuation after a link is not part of it.
  const bare = link.replace(/[.,;:!?]+$/u, '');
  return payments.links.some((own) => own === bare || own === link);
}

function isAllowed(host: string, allowedHosts: readonly string[]): boolean {
  return allowedHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { ParleyError } from '../../core/errors.js';
import { createGuardedFetch, resolveAll } from '../../net/guarded-fetch.js';
import { isPublicAddress, privateAddressMessage } from '../../net/public-address.js';

export { isPublicAddress };

/** Hugging Face and the CDNs its `resolve/` links redirect to. */
export const DEFAULT_DOWNLOAD_HOSTS: readonly string[] = [
  'huggingface.co',
  '*.huggingface.co',
  '*.hf.co',
];
export const DEFAULT_MODEL_HUB_URL = 'https://huggingface.co';
const MAX_REDIRECTS = 5;

/**
 * Where the console may make the server download a model from. The owner types a source into a
 * web page and the server fetches it, so an unchecked URL would let anyone with the owner's
 * session read services on the server's network (SSRF).
 */
export interface DownloadPolicy {
  /** Where `hf:` URIs resolve. */
  hubUrl: string;
  /** Hosts https URLs may come from: `host`, `host:port` or `*.domain` (any subdomain). */
  allowedHosts: readonly string[];
  /**
   * Hosts the operator named (the hub URL and `PARLEY_MODEL_DOWNLOAD_HOSTS`): these may be plain
   * http and may resolve to private addresses (a mirror on the LAN). Others must be public.
   */
  explicitHosts: readonly string[];
}

/** The policy from the server settings: the defaults plus what the operator named. */
export function downloadPolicyFrom(settings: {
  hubUrl: string | null;
  allowedHosts: readonly string[];
}): DownloadPolicy {
  const hubUrl = settings.hubUrl ?? DEFAULT_MODEL_HUB_URL;
  const explicit = [...settings.allowedHosts];
  if (settings.hubUrl !== null) explicit.push(new URL(settings.hubUrl).host);
  return {
    hubUrl,
    allowedHosts: [...DEFAULT_DOWNLOAD_HOSTS, ...explicit],
    explicitHosts: explicit,
  };
}

function matches(url: URL, pattern: string): boolean {
  const entry = pattern.trim().toLowerCase();
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const bare = entry.replace(/^\[|\]$/g, '');
  if (entry.startsWith('*.')) return host.endsWith(entry.slice(1));
  // `host:port` names one server; a bare host any port of it.
  if (/^[^:[\]]+:\d+$/.test(entry) || /^\[.*\]:\d+$/.test(entry)) {
    return url.host.toLowerCase() === entry;
  }
  return host === bare;
}

function refused(message: string): ParleyError {
  return new ParleyError('validation_failed', message);
}

/**
 * Checks one URL against the policy (every redirect hop is checked too) and says whether its host
 * was named by the operator. Throws a `validation_failed` error that says what to change.
 */
export function checkDownloadUrl(
  text: string,
  policy: DownloadPolicy,
): { url: URL; explicit: boolean } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused(`${JSON.stringify(text)} is not a URL. Use an https URL of a .gguf file.`);
  }
  const explicit = policy.explicitHosts.some((pattern) => matches(url, pattern));
  if (url.username || url.password) {
    throw refused(`${url.host}: a download URL must not carry a user name or password.`);
  }
  if (url.protocol !== 'https:' && !(explicit && url.protocol === 'http:')) {
    throw refused(
      `${url.protocol}//${url.host} is not https. Parley downloads models over https only; a server of your own on plain http must be named in PARLEY_MODEL_DOWNLOAD_HOSTS.`,
    );
  }
  if (!explicit && !policy.allowedHosts.some((pattern) => matches(url, pattern))) {
    throw refused(
      `${url.host} is not a host Parley downloads models from (allowed: ${policy.allowedHosts.join(', ')}). Use an hf:<owner>/<repo>/<file>.gguf name, or ask whoever runs this Parley to add the host to PARLEY_MODEL_DOWNLOAD_HOSTS.`,
    );
  }
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!explicit && ipaddr.isValid(literal) && !isPublicAddress(literal)) {
    throw refused(privateMessage(url.host, literal));
  }
  return { url, explicit };
}

const PRIVATE_HINT =
  'Parley does not download from its own network unless the host is named in PARLEY_MODEL_DOWNLOAD_HOSTS.';

function privateMessage(host: string, address: string): string {
  return `${privateAddressMessage(host, address)}: ${PRIVATE_HINT}`;
}

/** Resolves the URL's host and refuses it when any address is not public (unless explicit). */
export async function checkDownloadHost(text: string, policy: DownloadPolicy): Promise<void> {
  const { url, explicit } = checkDownloadUrl(text, policy);
  if (explicit) return;
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(hostname);
  } catch (error) {
    throw new ParleyError(
      'validation_failed',
      `${url.host} cannot be found (${(error as NodeJS.ErrnoException).code ?? 'DNS error'}). Check the name and this server's connection.`,
      { cause: error },
    );
  }
  const inner = addresses.find((entry) => !isPublicAddress(entry.address));
  if (inner) throw refused(privateMessage(url.host, inner.address));
}

/**
 * A `fetch` for model downloads under the policy: every redirect hop is checked against it, and
 * connections to hosts the operator did not name may only reach public addresses.
 */
export function createPolicyFetch(policy: DownloadPolicy): typeof fetch {
  return createGuardedFetch({
    checkUrl: (url) => ({ trusted: checkDownloadUrl(url, policy).explicit }),
    maxRedirects: MAX_REDIRECTS,
    privateHint: PRIVATE_HINT,
  });
}

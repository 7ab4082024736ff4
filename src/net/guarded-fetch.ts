import { lookup, type LookupAddress } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { ParleyError } from '../core/errors.js';
import { isPublicAddress, privateAddressMessage } from './public-address.js';

/** What a guarded fetch decides about one URL (the first request and every redirect hop). */
export interface HopVerdict {
  /**
   * The operator named this destination (a mirror or CRM on their own network): it may connect
   * to private addresses. Otherwise only public addresses are ever connected to.
   */
  trusted: boolean;
}

export interface GuardedFetchOptions {
  /** Checks one URL before it is requested; throws a ParleyError saying what to change. */
  checkUrl(url: string): HopVerdict;
  /** Redirects followed, each checked again; 0 returns a redirect response as it is. */
  maxRedirects: number;
  /** Appended to a refusal of a private address: how the operator can allow it. */
  privateHint: string;
  /** Resolves untrusted hosts at connect time (the system resolver unless a test injects one). */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** Every address of a host name, as the operating system's resolver answers. */
export function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(hostname, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );
}

/**
 * A DNS lookup for the connection itself: checking a name before fetching is not enough, since
 * it may resolve differently a moment later (DNS rebinding). A refused address never connects.
 */
function publicOnlyLookup(
  privateHint: string,
  resolve: (hostname: string) => Promise<LookupAddress[]>,
) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const inner = addresses.find((entry) => !isPublicAddress(entry.address));
        if (inner || addresses.length === 0) {
          const message = `${privateAddressMessage(hostname, inner?.address ?? 'nothing')}: ${privateHint}`;
          callback(new ParleyError('validation_failed', message), '', 0);
          return;
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/**
 * A `fetch` for URLs that someone other than the operator could influence (a model source typed
 * in the console, a CRM webhook in the business file): each hop is checked with `checkUrl`, and
 * untrusted hops connect only to public addresses, checked at connect time (SSRF).
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  const lookup = publicOnlyLookup(options.privateHint, options.resolve ?? resolveAll);
  const publicAgent = new Agent({ connect: { lookup } });
  const trustedAgent = new Agent();
  const guardedFetch = async (
    input: string | URL | Request,
    init: RequestInit = {},
  ): Promise<Response> => {
    let target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    for (let hop = 0; hop <= options.maxRedirects; hop++) {
      const { trusted } = options.checkUrl(target);
      let response;
      try {
        response = await undiciFetch(target, {
          ...(init as object),
          redirect: 'manual',
          dispatcher: trusted ? trustedAgent : publicAgent,
        });
      } catch (error) {
        // undici wraps a refused lookup in "fetch failed": surface the reason.
        const cause = (error as { cause?: unknown }).cause;
        throw cause instanceof ParleyError ? cause : error;
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location && options.maxRedirects > 0) {
        await response.body?.cancel();
        target = new URL(location, target).href;
        continue;
      }
      return response as unknown as Response;
    }
    throw new ParleyError(
      'validation_failed',
      `${target}: more than ${options.maxRedirects} redirects. Use the final URL.`,
    );
  };
  return guardedFetch;
}

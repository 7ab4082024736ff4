import ipaddr from 'ipaddr.js';

// Names that never leave the machine or the local network (RFC 6761 `localhost`, mDNS `.local`,
// RFC 8375 `home.arpa`, and the `.internal`/`.lan` names routers and clouds hand out).
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|lan|home\.arpa)$/i;

/** Whether an address is a public unicast one (not loopback, private, link-local, reserved…). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * The non-public address a URL names outright (a literal IP, or a name such as `localhost` that
 * is local by definition), or null when only a DNS lookup can tell. The WHATWG URL parser has
 * already turned `0x7f.1` or `2130706433` into `127.0.0.1`.
 */
export function obviouslyPrivateHost(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (ipaddr.isValid(host)) return isPublicAddress(host) ? null : host;
  return LOCAL_NAMES.test(host) ? host : null;
}

/** The sentence every refusal of a non-public address starts with. */
export function privateAddressMessage(host: string, address: string): string {
  return `${host} resolves to ${address}, a private, loopback or link-local address`;
}

// The machine itself: browsers treat these hosts as secure contexts (so a development server's cookie
// without Secure, or its plain http, exposes nothing), and they never leave the computer.

const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Whether `hostname` (as `URL.hostname` gives it, or typed by hand) names this machine: `localhost` and any
 * `*.localhost` (RFC 6761 §6.3), 127.0.0.0/8, and the IPv6 loopback `::1` with or without brackets.
 * Case and one trailing dot are ignored.
 */
export function isLoopbackHost(hostname: string): boolean {
  if (typeof hostname !== 'string') return false;
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '[::1]') return true;
  const v4 = IPV4_LOOPBACK.exec(host);
  if (!v4) return false;
  return v4.slice(1).every((octet) => Number(octet) <= 255);
}

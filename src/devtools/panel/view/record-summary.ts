// What a row shows of a token, derived from its record; cached per record version by the list.
import { formatRelative } from '../../../core/claims';
import type { TokenRecord } from '../../model/token-store';

export interface RecordSummary {
  role: string;
  alg: string;
  issuer: string;
  subject: string;
  exp?: number;
  worst?: { id: string; severity: string; title: string };
  /** Lower-cased text the filter box searches: token, claims, hosts, finding ids. */
  haystack: string;
}

const MAX_HAYSTACK = 16 * 1024;

export function summarize(record: TokenRecord): RecordSummary {
  const d = record.decoded;
  const header = d.ok ? d.header : {};
  const claims = d.ok && d.payloadIsJson ? (d.payload as Record<string, unknown>) : {};
  const hosts = new Set<string>();
  for (const s of record.sightings) {
    try {
      hosts.add(new URL(s.requestUrl).host);
    } catch {
      // storage sightings of odd pages have no parsable URL
    }
  }
  const worst = record.findings[0];
  let claimsText = '';
  try {
    claimsText = d.ok ? (typeof d.payload === 'string' ? d.payload : JSON.stringify(d.payload)) : '';
  } catch {
    claimsText = '';
  }
  return {
    role: record.role,
    alg: typeof header.alg === 'string' ? header.alg : '?',
    issuer: typeof claims.iss === 'string' ? claims.iss : '',
    subject: typeof claims.sub === 'string' ? claims.sub : '',
    ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
    ...(worst ? { worst: { id: worst.id, severity: worst.severity, title: worst.title } } : {}),
    haystack: [record.token.slice(0, 4096), claimsText.slice(0, MAX_HAYSTACK), [...hosts].join(' '), record.findings.map((f) => f.id).join(' '), record.role]
      .join('\n')
      .toLowerCase(),
  };
}

export function expiryText(exp: number | undefined, nowSeconds: number): string {
  if (exp === undefined) return 'no expiry';
  return exp <= nowSeconds ? `expired ${formatRelative(exp - nowSeconds)}` : `expires ${formatRelative(exp - nowSeconds)}`;
}

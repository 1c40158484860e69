// Keys from the network are public keys only (SECURITY.md). A JWKS is published for anyone to read, so a
// symmetric key in it is a secret everyone knows, and a key with private members is a signing key everyone
// holds: verifying with either would call forged tokens "verified". Such keys are withheld, never used, and
// reported as the finding jwks-symmetric-key.
import { finding, type BuiltFinding } from '../core/findings';

/** RFC 7518 §6.2.2 and §6.3.2 (EC and RSA private members), §6.4.1 (oct's "k"); RFC 8037 §2 (OKP's "d"). */
export const PRIVATE_JWK_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

export interface WithheldKey {
  kid?: string;
  kty: string;
  /** `symmetric`: kty "oct"; `private`: an asymmetric key that carries private members. */
  why: 'symmetric' | 'private';
}

export function hasPrivateMembers(key: Record<string, unknown>): boolean {
  return PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(key, member));
}

/** Splits a fetched set's keys into the public keys kept and the keys withheld. */
export function publicKeysOnly(keys: readonly unknown[]): { kept: unknown[]; withheld: WithheldKey[] } {
  const kept: unknown[] = [];
  const withheld: WithheldKey[] = [];
  for (const k of keys) {
    if (!k || typeof k !== 'object') {
      kept.push(k);
      continue;
    }
    const key = k as Record<string, unknown>;
    const kty = typeof key.kty === 'string' ? key.kty : String(key.kty);
    const symmetric = kty === 'oct';
    if (symmetric || hasPrivateMembers(key)) {
      withheld.push({
        ...(typeof key.kid === 'string' ? { kid: key.kid.slice(0, 200) } : {}),
        kty: kty.slice(0, 20),
        why: symmetric ? 'symmetric' : 'private',
      });
    } else {
      kept.push(k);
    }
  }
  return { kept, withheld };
}

/** The finding for a set that published withheld keys, naming them; undefined when none was withheld. */
export function withheldFinding(url: string, withheld: readonly WithheldKey[] | undefined): BuiltFinding | undefined {
  if (!withheld?.length) return undefined;
  const names = withheld
    .slice(0, 10)
    .map(
      (w) =>
        `${w.kid === undefined ? 'a key without kid' : `kid "${w.kid}"`} (${w.why === 'symmetric' ? 'symmetric, kty "oct"' : `kty "${w.kty}" with private members`})`,
    )
    .join(', ');
  const more = withheld.length > 10 ? ` and ${withheld.length - 10} more` : '';
  return finding(
    'jwks-symmetric-key',
    `${url} publishes ${names}${more}; ${withheld.length === 1 ? 'it was' : 'they were'} dropped and never used.`,
  );
}

// What each attack preset tests, what a vulnerable server does, and where it was described: the words the
// workbench shows next to each button (pages only; the worker needs the ids and variants of attacks.ts).
import { ATTACK_VARIANTS, type AttackId } from './attacks';

export interface AttackInfo {
  id: AttackId;
  title: string;
  tests: string;
  vulnerable: string;
  reference: string;
  /** The first is the default. */
  variants: readonly string[];
}

export const ATTACKS: Record<AttackId, AttackInfo> = {
  'alg-none': {
    id: 'alg-none',
    variants: ATTACK_VARIANTS['alg-none'],
    title: 'alg: none',
    tests: 'whether the server accepts an unsigned token whose header says "none" (in any letter case)',
    vulnerable: "takes the header's word for it and skips the signature",
    reference: 'CVE-2015-2951; RFC 8725 §2.1',
  },
  'null-signature': {
    id: 'null-signature',
    variants: ATTACK_VARIANTS['null-signature'],
    title: 'Null signature',
    tests: 'whether an empty signature part passes (header.payload.)',
    vulnerable: 'compares against an empty signature or skips the check when it is missing',
    reference: 'CVE-2020-28042',
  },
  'broken-signature': {
    id: 'broken-signature',
    variants: ATTACK_VARIANTS['broken-signature'],
    title: 'Broken signature',
    tests: 'the baseline: is the signature checked at all? (one bit of it flipped)',
    vulnerable: 'decodes the token without verifying it',
    reference: 'RFC 7515 §5.2',
  },
  'empty-hmac-key': {
    id: 'empty-hmac-key',
    variants: ATTACK_VARIANTS['empty-hmac-key'],
    title: 'Empty HMAC key',
    tests: 'whether an HMAC signature made with an empty key passes',
    vulnerable: 'verifies with an empty secret when its key is missing or unset',
    reference: 'CVE-2019-20933',
  },
  'hs-rs-confusion': {
    id: 'hs-rs-confusion',
    variants: ATTACK_VARIANTS['hs-rs-confusion'],
    title: 'HS/RS key confusion',
    tests: "whether the server verifies HS256 with its RSA public key's text as the HMAC secret",
    vulnerable: 'lets the token pick the algorithm and hands its public key to HMAC',
    reference: 'CVE-2016-10555; RFC 8725 §2.1',
  },
  'embedded-jwk': {
    id: 'embedded-jwk',
    variants: ATTACK_VARIANTS['embedded-jwk'],
    title: 'Embedded JWK',
    tests: 'whether the server trusts a key the token carries in its "jwk" header',
    vulnerable: "verifies with the attacker's own key from the header",
    reference: 'CVE-2018-0114; RFC 8725 §3.10',
  },
  'jku-injection': {
    id: 'jku-injection',
    variants: ATTACK_VARIANTS['jku-injection'],
    title: 'jku / x5u injection',
    tests: 'whether the server fetches its key from a URL the token names (yours)',
    vulnerable: 'fetches the key set at the URL in the header and trusts it',
    reference: 'RFC 8725 §3.10; PortSwigger "JWT header parameter injections"',
  },
  'kid-traversal': {
    id: 'kid-traversal',
    variants: ATTACK_VARIANTS['kid-traversal'],
    title: 'kid injection',
    tests: 'whether "kid" reaches a file path (../../dev/null, an empty key) or an SQL query',
    vulnerable: 'reads its key from wherever "kid" points',
    reference: 'RFC 8725 §3.10; CVE-2018-1000531',
  },
  'psychic-signature': {
    id: 'psychic-signature',
    variants: ATTACK_VARIANTS['psychic-signature'],
    title: 'Psychic signature',
    tests: 'whether an ECDSA signature with r = s = 0 passes',
    vulnerable: 'runs a Java 15–18 ECDSA verifier that accepts zeros',
    reference: 'CVE-2022-21449',
  },
  'weak-secret-resign': {
    id: 'weak-secret-resign',
    variants: ATTACK_VARIANTS['weak-secret-resign'],
    title: 'Re-sign with the weak secret',
    tests: 'what the guessed HMAC secret lets anyone do: sign any claims',
    vulnerable: 'signs with a secret from a public list',
    reference: 'RFC 8725 §3.5',
  },
  'claim-tamper': {
    id: 'claim-tamper',
    variants: ATTACK_VARIANTS['claim-tamper'],
    title: 'Tampered claims',
    tests: 'whether changed claims (your edits, or exp / sub / roles) pass with the old signature',
    vulnerable: 'checks the signature of something else than what it reads',
    reference: 'RFC 7515 §5.2',
  },
};

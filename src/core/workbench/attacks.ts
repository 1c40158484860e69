// The attack presets' ids (a contract: ARCHITECTURE.md, "Workbench", data-attack) and their variants, the
// first being the default. What each one tests is in attack-info.ts, which only pages load.
import { PEM_VARIANTS } from './pem-variants';

export const ATTACK_IDS = [
  'alg-none',
  'null-signature',
  'broken-signature',
  'empty-hmac-key',
  'hs-rs-confusion',
  'embedded-jwk',
  'jku-injection',
  'kid-traversal',
  'psychic-signature',
  'weak-secret-resign',
  'claim-tamper',
] as const;

export type AttackId = (typeof ATTACK_IDS)[number];

/** Each preset's variants; the first is the default. */
export const ATTACK_VARIANTS: Record<AttackId, readonly string[]> = {
  'alg-none': ['none', 'None', 'NONE', 'nOnE'],
  'null-signature': ['empty'],
  'broken-signature': ['flip-bit'],
  'empty-hmac-key': ['HS256', 'HS384', 'HS512'],
  'hs-rs-confusion': PEM_VARIANTS,
  'embedded-jwk': ['generated'],
  'jku-injection': ['jku', 'x5u'],
  'kid-traversal': ['dev-null', 'sql'],
  'psychic-signature': ['ES256', 'ES384', 'ES512'],
  'weak-secret-resign': ['found-secret'],
  'claim-tamper': ['edited', 'exp', 'sub', 'roles'],
};

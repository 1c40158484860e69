// Pasted key text to the input the worker imports or stores: one rule for every surface that takes a key
// (the popup's inline key, the panel's Add a key, the options page), with their differences as a policy.
import { detectKeyKind, urlKeyInput } from './key-kind';
import type { KeyInput, SecretEncoding } from './types';

/** What a surface may hand the worker: a key, or (stored keys only) a JWKS URL or an issuer to discover. */
export type KeyTextInput = KeyInput | { kind: 'jwks-url' | 'issuer'; value: string };

export type ChosenKeyKind = 'auto' | KeyTextInput['kind'];

export interface KeyTextPolicy {
  /**
   * Whether a URL names a JWKS or an issuer. Only stored keys may (the worker fetches only what the user
   * stored); where they may not, a URL is taken as a secret's text like any other string.
   */
  acceptUrls: boolean;
  /**
   * How a secret's text becomes bytes: 'detected' follows detectKeyKind's guess (hex, base64, base64url or
   * text); an encoding takes the text that way. A secret typed inline is taken as text: guessing surprises
   * more than it helps there.
   */
  secretEncoding: 'detected' | SecretEncoding;
  /** The kind the user chose; 'auto' (the default) detects it from the text. */
  kind?: ChosenKeyKind;
}

/** A secret typed inline in the decoder (popup, decoder tab): PEM, JWK and JWKS are recognised, the rest is text. */
export const INLINE_KEY_POLICY: KeyTextPolicy = { acceptUrls: false, secretEncoding: 'utf8' };

/** A key added from the panel: stored, so a URL may name a JWKS or an issuer; a secret is text. */
export const PANEL_KEY_POLICY: KeyTextPolicy = { acceptUrls: true, secretEncoding: 'utf8' };

/** The input for pasted key text under `policy`, or undefined for blank text. Never throws. */
export function keyInputFromText(text: string, policy: KeyTextPolicy): KeyTextInput | undefined {
  const t = typeof text === 'string' ? text.trim() : '';
  if (!t) return undefined;
  const chosen = policy.kind ?? 'auto';
  if (chosen !== 'auto') {
    return chosen === 'secret' ? { kind: 'secret', value: t, encoding: encodingOf(policy, 'utf8') } : { kind: chosen, value: t };
  }
  const detected = detectKeyKind(t);
  switch (detected.kind) {
    case 'pem':
    case 'jwk':
    case 'jwks':
      return { kind: detected.kind, value: t };
    case 'url':
      if (policy.acceptUrls) return urlKeyInput(t);
      return { kind: 'secret', value: t, encoding: 'utf8' };
    case 'secret':
      return { kind: 'secret', value: t, encoding: encodingOf(policy, detected.encoding ?? 'utf8') };
  }
}

function encodingOf(policy: KeyTextPolicy, detected: SecretEncoding): SecretEncoding {
  return policy.secretEncoding === 'detected' ? detected : policy.secretEncoding;
}

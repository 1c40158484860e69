// The texts of a server's RSA public key that a confused HMAC verifier may use as its secret (the
// hs-rs-confusion preset): the server reads its key file as bytes, so the exact armour matters — SPKI or
// PKCS#1, with or without the final newline, LF or CRLF.
import { exportSPKI, importJWK, type JWK } from 'jose';
import { KeyImportError } from '../errors';
import { isJsonObject } from '../is-json-object';
import { pemSubtype } from '../key-kind';
import { derChildren, derSequence, TAG } from '../keys/der';
import { parsePem, toPem } from '../keys/pem';
import { spkiFromPkcs1, spkiKeyType } from '../keys/key-structures';
import type { PemVariant } from './pem-variants';

/** PKCS#1 RSAPublicKey out of an SPKI (the BIT STRING's content after its unused-bits byte). */
function pkcs1FromSpki(spki: Uint8Array): Uint8Array {
  const [, bits] = derChildren(spki, derSequence(spki, 'the public key'));
  if (!bits || bits.tag !== TAG.bitString || spki[bits.contentStart] !== 0) {
    throw new KeyImportError('key-malformed', 'the public key has no key bits');
  }
  return spki.subarray(bits.contentStart + 1, bits.end);
}

async function spkiOf(text: string): Promise<Uint8Array> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let jwk: unknown;
    try {
      jwk = JSON.parse(trimmed);
    } catch {
      throw new KeyImportError('key-malformed', 'the JWK is not valid JSON');
    }
    if (!isJsonObject(jwk) || jwk.kty !== 'RSA') throw new KeyImportError('key-wrong-kind', 'hs-rs-confusion needs an RSA public key');
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...pub } = jwk;
    const pem = await exportSPKI((await importJWK(pub as JWK, 'RS256', { extractable: true })) as CryptoKey);
    return parsePem(pem)[0]!.der;
  }
  const block = parsePem(trimmed).find((b) => pemSubtype(b.label) === 'public' || pemSubtype(b.label) === 'rsa-public');
  if (!block)
    throw new KeyImportError(
      'key-wrong-kind',
      'hs-rs-confusion needs the server\'s public key (PEM "PUBLIC KEY" or "RSA PUBLIC KEY", or a JWK)',
    );
  return pemSubtype(block.label) === 'rsa-public' ? spkiFromPkcs1(block.der) : block.der;
}

/** Every armour of an RSA public key (PEM or JWK text), by variant. */
export async function publicKeyPemVariants(text: string): Promise<Record<PemVariant, string>> {
  const spki = await spkiOf(text);
  if (spkiKeyType(spki).family !== 'rsa') throw new KeyImportError('key-wrong-kind', 'hs-rs-confusion needs an RSA public key');
  const spkiPem = toPem(spki, 'PUBLIC KEY');
  const pkcs1Pem = toPem(pkcs1FromSpki(spki), 'RSA PUBLIC KEY');
  return {
    'spki-lf': `${spkiPem}\n`,
    spki: spkiPem,
    'spki-crlf': `${spkiPem.replace(/\n/g, '\r\n')}\r\n`,
    'pkcs1-lf': `${pkcs1Pem}\n`,
    pkcs1: pkcs1Pem,
  };
}

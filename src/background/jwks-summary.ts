import { calculateJwkThumbprint, type JWK } from 'jose';

/** The public facts of each key of a JWKS, for people to compare with what their issuer publishes. */
export async function summarizeJwks(jwksText: string): Promise<{ kid?: string; kty?: string; alg?: string; thumbprint?: string }[]> {
  let keys: JWK[] = [];
  try {
    keys = (JSON.parse(jwksText) as { keys?: JWK[] }).keys ?? [];
  } catch {
    return [];
  }
  return Promise.all(
    keys.map(async (k) => ({
      ...(k.kid ? { kid: k.kid } : {}),
      ...(k.kty ? { kty: k.kty } : {}),
      ...(k.alg ? { alg: k.alg } : {}),
      ...(await calculateJwkThumbprint(k).then(
        (thumbprint) => ({ thumbprint }),
        () => ({}),
      )),
    })),
  );
}

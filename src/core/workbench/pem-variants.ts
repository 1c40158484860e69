// The armours of an RSA public key that hs-rs-confusion can use as an HMAC secret (public-key-pem.ts builds
// them). Apart from the builder so that pages can list them without loading jose.
export const PEM_VARIANTS = ['spki-lf', 'spki', 'spki-crlf', 'pkcs1-lf', 'pkcs1'] as const;
export type PemVariant = (typeof PEM_VARIANTS)[number];

export const PEM_VARIANT_TEXT: Record<PemVariant, string> = {
  'spki-lf': 'SPKI PEM ending with a newline (what OpenSSL and Node write)',
  spki: 'SPKI PEM without the final newline',
  'spki-crlf': 'SPKI PEM with CRLF line ends',
  'pkcs1-lf': 'PKCS#1 PEM ("RSA PUBLIC KEY") ending with a newline',
  pkcs1: 'PKCS#1 PEM without the final newline',
};

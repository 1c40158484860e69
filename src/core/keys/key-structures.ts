// Which key a SPKI, PKCS#8 or certificate holds (jose needs the algorithm before it imports), and PKCS#1 /
// SEC1 keys wrapped into the SPKI / PKCS#8 that WebCrypto takes.
import { KeyImportError } from '../errors';
import { CURVE_ALG } from './algorithms';
import { bytesFromHex, derChildren, derHex, derSequence, TAG, tlv, type DerNode } from './der';
import type { KeyType } from './types';

// Object identifiers, as the hex of their DER content bytes.
const OID = {
  rsaEncryption: '2a864886f70d010101',
  rsassaPss: '2a864886f70d01010a',
  ecPublicKey: '2a8648ce3d0201',
  p256: '2a8648ce3d030107',
  p384: '2b81040022',
  p521: '2b81040023',
  secp256k1: '2b8104000a',
  ed25519: '2b6570',
  ed448: '2b6571',
  x25519: '2b656e',
  x448: '2b656f',
} as const;

const CURVE_BY_OID: Readonly<Record<string, string>> = {
  [OID.p256]: 'P-256',
  [OID.p384]: 'P-384',
  [OID.p521]: 'P-521',
};

/** The key type an AlgorithmIdentifier names; throws KeyImportError for types this tool does not verify. */
function keyTypeFromAlgorithmIdentifier(buf: Uint8Array, algId: DerNode): KeyType {
  const [oidNode, param] = derChildren(buf, algId);
  if (!oidNode || oidNode.tag !== TAG.oid) throw new KeyImportError('key-malformed', 'the key has no algorithm identifier');
  switch (derHex(buf, oidNode)) {
    case OID.rsaEncryption:
      return { family: 'rsa', importAlg: 'RS256' };
    case OID.rsassaPss:
      return { family: 'rsa', importAlg: 'PS256' };
    case OID.ecPublicKey: {
      if (!param || param.tag !== TAG.oid) throw new KeyImportError('key-malformed', 'the EC key does not name its curve');
      const curveOid = derHex(buf, param);
      const crv = CURVE_BY_OID[curveOid];
      if (!crv) {
        const name = curveOid === OID.secp256k1 ? 'secp256k1 (ES256K)' : 'this curve';
        throw new KeyImportError('key-unsupported', `EC keys on ${name} are not supported (P-256, P-384 and P-521 are)`);
      }
      return { family: 'ec', crv, importAlg: CURVE_ALG[crv]! };
    }
    case OID.ed25519:
      return { family: 'okp', crv: 'Ed25519', importAlg: 'EdDSA' };
    case OID.ed448:
      throw new KeyImportError('key-unsupported', 'Ed448 keys are not supported (Ed25519 is)');
    case OID.x25519:
    case OID.x448:
      throw new KeyImportError('key-not-for-signing', 'this is a key-agreement key (X25519/X448), not a signature key');
    default:
      throw new KeyImportError('key-unsupported', 'the key algorithm is not one used for JWS signatures');
  }
}

export function spkiKeyType(der: Uint8Array): KeyType {
  const [algId] = derChildren(der, derSequence(der, 'the public key'));
  if (!algId || algId.tag !== TAG.sequence) throw new KeyImportError('key-malformed', 'the public key is not SPKI');
  return keyTypeFromAlgorithmIdentifier(der, algId);
}

export function pkcs8KeyType(der: Uint8Array): KeyType {
  const [version, algId] = derChildren(der, derSequence(der, 'the private key'));
  if (!version || version.tag !== TAG.integer || !algId || algId.tag !== TAG.sequence) {
    throw new KeyImportError('key-malformed', 'the private key is not PKCS#8');
  }
  return keyTypeFromAlgorithmIdentifier(der, algId);
}

export function certificateKeyType(der: Uint8Array): KeyType {
  const [tbs] = derChildren(der, derSequence(der, 'the certificate'));
  if (!tbs || tbs.tag !== TAG.sequence) throw new KeyImportError('key-malformed', 'the certificate has no tbsCertificate');
  const fields = derChildren(der, tbs);
  // [0] version is optional; after it: serial, signature, issuer, validity, subject, subjectPublicKeyInfo.
  const spki = fields[fields[0]?.tag === TAG.context0 ? 6 : 5];
  if (!spki || spki.tag !== TAG.sequence) throw new KeyImportError('key-malformed', 'the certificate has no subject public key');
  return spkiKeyType(der.subarray(spki.start, spki.end));
}

const VERSION_0 = Uint8Array.of(TAG.integer, 0x01, 0x00);
const rsaAlgorithmIdentifier = () => tlv(TAG.sequence, tlv(TAG.oid, bytesFromHex(OID.rsaEncryption)), Uint8Array.of(TAG.null, 0x00));

/** PKCS#1 RSAPublicKey → SubjectPublicKeyInfo (RFC 5280 §4.1, RFC 8017 A.1.1). */
export function spkiFromPkcs1(pkcs1: Uint8Array): Uint8Array {
  const ints = derChildren(pkcs1, derSequence(pkcs1, 'the RSA public key'));
  if (ints.length !== 2 || ints.some((n) => n.tag !== TAG.integer)) {
    throw new KeyImportError('key-malformed', 'the RSA public key is not PKCS#1 (modulus, exponent)');
  }
  return tlv(TAG.sequence, rsaAlgorithmIdentifier(), tlv(TAG.bitString, Uint8Array.of(0), pkcs1));
}

/** PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo (RFC 5208). */
export function pkcs8FromPkcs1(pkcs1: Uint8Array): Uint8Array {
  const fields = derChildren(pkcs1, derSequence(pkcs1, 'the RSA private key'));
  if (fields.length < 9 || fields.some((n) => n.tag !== TAG.integer && n.tag !== TAG.sequence)) {
    throw new KeyImportError('key-malformed', 'the RSA private key is not PKCS#1');
  }
  return tlv(TAG.sequence, VERSION_0, rsaAlgorithmIdentifier(), tlv(TAG.octetString, pkcs1));
}

/** SEC1 ECPrivateKey (RFC 5915) → PKCS#8, naming the curve from the SEC1 parameters. */
export function pkcs8FromSec1(sec1: Uint8Array): Uint8Array {
  const fields = derChildren(sec1, derSequence(sec1, 'the EC private key'));
  const params = fields.find((n) => n.tag === TAG.context0);
  const curve = params ? derChildren(sec1, params)[0] : undefined;
  if (!curve || curve.tag !== TAG.oid) {
    throw new KeyImportError('key-malformed', 'the EC private key does not name its curve');
  }
  const curveOid = sec1.subarray(curve.contentStart, curve.end);
  const algId = tlv(TAG.sequence, tlv(TAG.oid, bytesFromHex(OID.ecPublicKey)), tlv(TAG.oid, curveOid));
  return tlv(TAG.sequence, VERSION_0, algId, tlv(TAG.octetString, sec1));
}

// PEM armour (RFC 7468): the DER inside each block, and DER armoured again for jose's importers.
import { base64Encode } from '../base64';
import { KeyImportError } from '../errors';
import { decodeBase64Strict } from './encodings';

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Pasted text is untrusted and may be huge: a chain of a few certificates is all anyone pastes. */
const MAX_PEM_BLOCKS = 20;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const label = m[1]!;
    if (m[3] !== label) throw new KeyImportError('key-malformed', `PEM block "${label}" ends with "${m[3]}"`);
    const body = m[2]!;
    if (/Proc-Type:\s*4,ENCRYPTED/i.test(body) || label === 'ENCRYPTED PRIVATE KEY') {
      throw new KeyImportError(
        'key-unsupported',
        'the private key is encrypted: paste the public key or the certificate instead (only the public half is used anyway)',
      );
    }
    if (/^[A-Za-z-]+:/m.test(body)) {
      throw new KeyImportError('key-unsupported', `PEM block "${label}" has headers this tool does not read`);
    }
    blocks.push({ label, der: decodeBase64Strict(body, `the PEM block "${label}"`, true) });
    if (blocks.length > MAX_PEM_BLOCKS) throw new KeyImportError('key-too-long', `more than ${MAX_PEM_BLOCKS} PEM blocks`);
  }
  if (blocks.length === 0) {
    throw new KeyImportError('key-malformed', 'no PEM block found (expected "-----BEGIN PUBLIC KEY-----" or similar)');
  }
  return blocks;
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = base64Encode(der);
  return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----`;
}

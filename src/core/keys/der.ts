// A small DER reader and writer: what key-structures.ts needs to learn a key's type and curve before jose
// imports it, and to wrap PKCS#1 / SEC1 into the SPKI / PKCS#8 that WebCrypto takes. Nothing more.
import { KeyImportError } from '../errors';

export interface DerNode {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  contentStart: number;
  end: number;
}

export const TAG = { integer: 0x02, bitString: 0x03, octetString: 0x04, null: 0x05, oid: 0x06, sequence: 0x30, context0: 0xa0 } as const;

function malformed(): never {
  throw new KeyImportError('key-malformed', 'the DER structure is truncated or malformed');
}

function readNode(buf: Uint8Array, pos: number, limit: number): DerNode {
  if (pos + 2 > limit) malformed();
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) malformed(); // high tag numbers never occur in key structures
  let len = buf[pos + 1]!;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) malformed(); // indefinite lengths are BER, not DER
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > limit) malformed();
  return { tag, start: pos, contentStart: p, end: p + len };
}

/** The elements inside a constructed node. */
export function derChildren(buf: Uint8Array, node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let p = node.contentStart; p < node.end; ) {
    const child = readNode(buf, p, node.end);
    out.push(child);
    p = child.end;
  }
  return out;
}

/** The SEQUENCE that `buf` must be, whole. */
export function derSequence(buf: Uint8Array, what: string): DerNode {
  const node = readNode(buf, 0, buf.length);
  if (node.tag !== TAG.sequence || node.end !== buf.length) {
    throw new KeyImportError('key-malformed', `${what} is not a DER SEQUENCE`);
  }
  return node;
}

/** The content bytes of a node, as hex (how OIDs are compared). */
export function derHex(buf: Uint8Array, node: DerNode): string {
  let s = '';
  for (let i = node.contentStart; i < node.end; i++) s += buf[i]!.toString(16).padStart(2, '0');
  return s;
}

/** One element: tag, DER length, content. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const length = content.reduce((n, p) => n + p.length, 0);
  const lengthBytes: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) lengthBytes.unshift(v & 0xff);
  const header = length < 0x80 ? [tag, length] : [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let o = header.length;
  for (const part of content) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

export function bytesFromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

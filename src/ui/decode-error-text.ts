// Why a string is not a token, in the catalogue's language, by the core's error code (the core's own
// message is English, for Node and tests).
import type { DecodeError } from '../core/types';
import { keyPart, t } from './i18n';

const JWS_PARTS = ['header', 'payload', 'signature'];
const JWE_PARTS = ['header', 'encrypted_key', 'iv', 'ciphertext', 'tag'];

export function decodeErrorText(error: DecodeError, token: string): string {
  const names = token.split('.').length === 5 ? JWE_PARTS : JWS_PARTS;
  const part = error.part === undefined ? '' : t(`decode_part_${names[error.part] ?? 'other'}`, error.part + 1);
  return t(`decode_error_${keyPart(error.code)}`, part);
}

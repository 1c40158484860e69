// The token workbench's pure part: building tokens from edited JSON, the attack presets, signing keys.
export { ATTACK_IDS, ATTACK_VARIANTS, type AttackId } from './attacks';
export { ATTACKS, type AttackInfo } from './attack-info';
export { applyPreset, defaultVariant, type PresetContext, type PresetInput, type PresetResult } from './presets';
export { PEM_VARIANTS, PEM_VARIANT_TEXT, type PemVariant } from './pem-variants';
export { publicKeyPemVariants } from './public-key-pem';
export { compactToken, encodeJsonSegment, signingInput, splitCompact } from './segments';
export { MAX_EDITOR_CHARS, parseHeaderText, parseJsonText, type JsonEdit } from './editor-json';
export {
  algorithmFitsKey,
  GENERATED_KEY_TYPES,
  generateSigningKey,
  importSigningKey,
  signCompact,
  type GeneratedKeyType,
  type SigningKey,
} from './signing-key';
export { decryptCompactJwe, MAX_PLAINTEXT_CHARS, type JweResult } from './jwe';

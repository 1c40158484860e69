// Turning what a user pastes (KeyInput) into jose keys, each tagged with its family (see algorithms.ts for
// why the family is the defence against algorithm confusion). What other modules import from 'core/keys'.

// What pasted key text is, without any cryptography: kept apart so pages that only ask need no jose.
export { detectKeyKind, type DetectedKey, type PemSubtype } from '../key-kind';
export { KeyImportError } from '../errors';
export { base64urlProblem } from '../base64';
export type { ImportedKey, KeyFamily, KeyInputResult, KeyProblem, VerificationKey } from './types';
export {
  algorithmFamily,
  algorithmsEquivalent,
  describeKey,
  familyNoun,
  SUPPORTED_ALGORITHMS,
  type AlgorithmFamily,
} from './algorithms';
export { decodeSecret } from './secret';
export { keyFor, keyForNow } from './per-algorithm';
export { formatProblem } from './outcome';
export { clearKeyCache, importCacheSize, importKeyInputDetailed } from './import-cache';
export { importKeyInput, KeyRing, prepareKeys, prepareKeysNow } from './key-ring';

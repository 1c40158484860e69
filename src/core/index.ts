// The core's public surface (its contracts are listed in ARCHITECTURE.md).
// Pure TypeScript: no browser API, no DOM, no Preact.
export * from './types';
export { decodeToken, MAX_TOKEN_BYTES } from './decode';
export { findTokens } from './find';
export { analyze, timeFindings } from './analyze';
export { verifyToken } from './verify';
export { isJsonObject } from './is-json-object';
export { isLoopbackHost } from './is-loopback';
export { CORE_ERROR_CODES, coreErrorCode, KeyImportError, type CoreErrorCode, type KeyErrorCode } from './errors';

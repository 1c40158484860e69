// The core's public surface (ARCHITECTURE.md, Contracts). Pure TypeScript: no browser API, no DOM, no Preact.
export * from './types';
export { decodeToken, MAX_TOKEN_BYTES } from './decode';
export { findTokens } from './find';
export { analyze } from './analyze';
export { verifyToken } from './verify';

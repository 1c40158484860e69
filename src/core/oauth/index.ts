// OAuth 2.0 / OpenID Connect flows, judged without keys or network: the facts a flow is made of, the
// judgement, and the at_hash / c_hash computation it uses.
export type {
  AuthorizationRequestFacts,
  AuthorizationResponseFacts,
  BearerUseFacts,
  OAuthFlowFacts,
  TokenExchangeFacts,
} from './flow-facts';
export { judgeFlow, pkceMethodOf, responseTypeWords, type FlowFinding } from './judge-flow';
export { checkTokenHash, tokenHash, tokenHashFunction, type TokenHashCheck, type TokenHashFunction } from './token-hash';

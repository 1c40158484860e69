// What the inspector saw of one OAuth 2.0 / OpenID Connect authorization flow, as plain data: the capture side
// (src/capture/oauth-steps.ts) reads it from traffic, the panel's model (src/devtools/model/oauth-flows.ts)
// ties the steps into flows, and judge-flow.ts judges it. Every part is optional: a panel opened mid-flow, a
// pop-up sign-in whose front channel happens in another tab, or an unread no-store body each leave gaps, and
// a check runs only on what was seen.

/** The authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1), or its pushed form (RFC 9126). */
export interface AuthorizationRequestFacts {
  url: string;
  /** Epoch ms. */
  time: number;
  clientId?: string;
  /** As sent, e.g. "code", "id_token token", "code id_token". */
  responseType?: string;
  responseMode?: string;
  redirectUri?: string;
  state?: string;
  nonce?: string;
  scope?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  /** Sent by POST to the pushed authorization request endpoint. */
  pushed?: boolean;
  /** A client_secret went along (a PAR request authenticates the client). */
  clientSecretSent?: boolean;
}

/** The redirect back to the client (RFC 6749 §4.1.2, §4.2.2; OIDC Core §3.2.2.5, §3.3.2.5; RFC 9207). */
export interface AuthorizationResponseFacts {
  url: string;
  time: number;
  code?: string;
  state?: string;
  iss?: string;
  error?: string;
  /** Parameters came in the fragment (implicit and hybrid flows' default response mode). */
  inFragment: boolean;
  accessToken?: string;
  idToken?: string;
}

/** A token request and its response (RFC 6749 §4.1.3, §5.1, §6). */
export interface TokenExchangeFacts {
  url: string;
  time: number;
  grantType: string;
  code?: string;
  codeVerifierSent?: boolean;
  redirectUri?: string;
  clientId?: string;
  refreshTokenSent?: string;
  /** A client_secret in the body, or client credentials in an HTTP Basic Authorization header. */
  clientSecretSent?: 'body' | 'basic';
  /** 0 when the response had not arrived. */
  status: number;
  /** The response's Cache-Control, lower-case; absent when the response had none. */
  cacheControl?: string;
  accessToken?: string;
  idToken?: string;
  refreshToken?: string;
  tokenType?: string;
  expiresIn?: number;
  scope?: string;
}

/** A request that sent a token as `Authorization: Bearer`. */
export interface BearerUseFacts {
  url: string;
  time: number;
  token: string;
}

export interface OAuthFlowFacts {
  clientId?: string;
  /** The issuer the flow used: from the discovery document whose endpoint it called. */
  issuer?: string;
  authorization?: AuthorizationRequestFacts;
  response?: AuthorizationResponseFacts;
  /** Token requests, the code exchange first, refreshes after; each request once. */
  exchanges: TokenExchangeFacts[];
  /** ID tokens of this flow sent as a bearer token. */
  bearerUses: BearerUseFacts[];
}

// One verification service for every surface: stored keys, JWKS URLs and issuers, resolved to key inputs.
import { decodeToken, verifyToken } from '../core';
import type { KeyInput, Verification } from '../core/types';
import type { StoredKey } from '../messages';
import type { JwksCache, JwksEntry } from './jwks-cache';
import { resolveJwksUri } from './discovery';
import { withheldFinding } from './public-jwks';
import { FailureBackoff } from './fetch-backoff';

export type IssuerResolver = (issuer: string) => Promise<string>;

export function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

export class VerificationService {
  private readonly jwksUriByIssuer = new Map<string, Promise<string>>();
  private readonly discovered = new Map<string, string>();
  private readonly discoveryBackoff: FailureBackoff;

  constructor(
    private readonly listKeys: () => Promise<StoredKey[]>,
    private readonly jwks: JwksCache,
    private readonly resolveIssuer: IssuerResolver = (iss) => resolveJwksUri(iss),
    now: () => number = Date.now,
  ) {
    this.discoveryBackoff = new FailureBackoff(now);
  }

  async verify(token: string, inline?: KeyInput[]): Promise<Verification> {
    if (inline?.length) return verifyToken(token, inline);
    const decoded = decodeToken(token);
    if (!decoded.ok) return { status: 'error', reason: decoded.error.message };
    const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
    const claims = decoded.payloadIsJson ? (decoded.payload as Record<string, unknown>) : {};
    const iss = typeof claims.iss === 'string' ? claims.iss : undefined;

    const problems: string[] = [];
    // Findings on the key sets used (jwks-symmetric-key): they explain why a token MACed with a published
    // secret does not verify, so they go into the reason whatever the verdict.
    const keySetNotes: string[] = [];
    const inputs: KeyInput[] = [];
    for (const key of await this.listKeys()) {
      if (key.issuer && !(iss && sameIssuer(key.issuer, iss))) continue;
      try {
        const input = await this.toKeyInput(key, iss, kid, keySetNotes);
        if (input) inputs.push(input);
      } catch (e) {
        problems.push(`${key.label}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const notes = keySetNotes.length ? ` ${keySetNotes.join(' ')}` : '';
    if (inputs.length === 0) {
      const why = problems.length ? problems.join(' ') : `No stored key applies to this token${iss ? ` (iss ${iss})` : ''}.`;
      return { status: 'no-matching-key', ...(kid ? { kid } : {}), reason: `${why}${notes}` };
    }
    const result = await verifyToken(token, inputs);
    if (result.status !== 'valid' && problems.length) {
      return { ...result, reason: `${result.reason ?? ''} (also: ${problems.join(' ')})${notes}`.trim() };
    }
    return notes ? { ...result, reason: `${result.reason ?? ''}${notes}`.trim() } : result;
  }

  private async toKeyInput(
    key: StoredKey,
    iss: string | undefined,
    kid: string | undefined,
    notes: string[],
  ): Promise<KeyInput | undefined> {
    const input = key.input;
    const fromSet = (entry: JwksEntry): KeyInput => {
      const f = withheldFinding(entry.url, entry.withheld);
      if (f) notes.push(`${f.id}: ${f.evidence ?? f.title}`);
      return { kind: 'jwks', value: entry.jwks, label: key.label };
    };
    switch (input.kind) {
      case 'jwks-url':
        return fromSet(await this.jwks.get(input.value, kid));
      case 'issuer': {
        if (!iss || !sameIssuer(input.value, iss)) return undefined;
        const uri = await this.jwksUriFor(input.value);
        return fromSet(await this.jwks.get(uri, kid));
      }
      default:
        return { ...input, label: key.label } as KeyInput;
    }
  }

  /**
   * The issuer's jwks_uri: discovered once (concurrent callers share the fetch), kept for the worker's life.
   * A failed discovery rests under the failure backoff unless `force` (the user pressed Refresh).
   */
  jwksUriFor(issuer: string, force = false): Promise<string> {
    let uri = this.jwksUriByIssuer.get(issuer);
    if (uri) return uri;
    const resting = force ? undefined : this.discoveryBackoff.resting(issuer);
    if (resting) return Promise.reject(resting.error);
    uri = this.resolveIssuer(issuer).then(
      (found) => {
        this.discoveryBackoff.succeeded(issuer);
        this.discovered.set(issuer, found);
        return found;
      },
      (error: unknown) => {
        this.jwksUriByIssuer.delete(issuer);
        this.discoveryBackoff.failed(issuer, error);
        throw error;
      },
    );
    this.jwksUriByIssuer.set(issuer, uri);
    return uri;
  }

  /** The jwks_uri found for `issuer`, if discovery has answered (the options page shows it). */
  knownJwksUri(issuer: string): string | undefined {
    return this.discovered.get(issuer);
  }

  /** Forget discovery results and failures (the user forgot keys). */
  forgetDiscovery(issuer?: string): void {
    if (issuer === undefined) {
      this.jwksUriByIssuer.clear();
      this.discovered.clear();
      this.discoveryBackoff.clear();
      return;
    }
    this.jwksUriByIssuer.delete(issuer);
    this.discovered.delete(issuer);
    this.discoveryBackoff.succeeded(issuer);
  }
}

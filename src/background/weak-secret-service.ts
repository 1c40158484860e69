// Checks an HS* token against the bundled list of known-weak secrets, in slices so the worker keeps
// answering other messages, with progress, and stoppable (the page closes its port).
import { decodeToken } from '../core';
import { candidatesFromToken, MAX_WEAK_SECRET_TOKEN_CHARS, parseSecretList, tryCandidates, weakSecretTarget } from '../core/weak-secret';
import type { WeakSecretResult } from '../messages';

const SLICE = 4096;

export type ListLoader = () => Promise<string>;

export class WeakSecretService {
  private list: Promise<string[]> | undefined;

  constructor(private readonly loadList: ListLoader) {}

  /** The 1.2 MB list is read the first time it is needed, then kept for the worker's life. */
  private candidates(): Promise<string[]> {
    this.list ??= this.loadList().then(parseSecretList, (e: unknown) => {
      this.list = undefined;
      throw e;
    });
    return this.list;
  }

  async check(token: string, onProgress?: (tried: number, total: number) => void, signal?: AbortSignal): Promise<WeakSecretResult> {
    const target = token.length <= MAX_WEAK_SECRET_TOKEN_CHARS ? weakSecretTarget(token) : undefined;
    if (!target) return { found: false, tried: 0, notApplicable: true };
    const decoded = decodeToken(token);
    const fromToken = decoded.ok ? candidatesFromToken(decoded.payload, decoded.header) : [''];
    const hit = tryCandidates(target, fromToken);
    if (hit >= 0) return { found: true, secret: fromToken[hit]!, tried: hit + 1, source: 'token' };

    const list = await this.candidates();
    const total = list.length + fromToken.length;
    for (let from = 0; from < list.length; from += SLICE) {
      if (signal?.aborted) return { found: false, tried: fromToken.length + from, cancelled: true };
      const to = Math.min(list.length, from + SLICE);
      const index = tryCandidates(target, list, from, to);
      if (index >= 0) return { found: true, secret: list[index]!, tried: fromToken.length + index + 1, source: 'list' };
      onProgress?.(fromToken.length + to, total);
      await new Promise((r) => setTimeout(r, 0));
    }
    return { found: false, tried: total };
  }
}

// The measures that run in Node: the core and the panel's capture pipeline, each against a baseline run
// in the same process (see measure.ts).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compactVerify, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { decodeToken } from '../../src/core/decode';
import { findTokens, MAX_FOUND_TOKENS } from '../../src/core/find';
import { verifyToken } from '../../src/core/verify';
import { parseSecretList, tryCandidates, weakSecretTarget } from '../../src/core/weak-secret';
import type { DevtoolsApi, NetworkRequest } from '../../src/devtools/panel/devtools-api';
import { PanelController } from '../../src/devtools/panel/panel-controller';
import { b64url, harEntries, harText, harTextOfSize, Rng, tokenCorpus } from './data';
import { compare } from './measure';
import type { Row } from './report';

const ROOT = resolve(import.meta.dirname, '../..');
export const SECRETS_LIST = resolve(ROOT, 'src/background/weak-secrets/jwt.secrets.list');

const ms = (v: number) => `${v.toFixed(1)} ms`;

export async function decodeMeasure(): Promise<Row> {
  const tokens = tokenCorpus(10_000, 1);
  const compact = tokens.map((t) => t.split('.').length === 3);
  let sink = 0;
  const c = await compare(
    () => {
      for (const t of tokens) if (decodeToken(t).ok) sink++;
    },
    () => {
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        // decodeJwt reads JWS only; for a JWE the header is all either side can read.
        if (decodeProtectedHeader(t) && (!compact[i] || decodeJwt(t))) sink++;
      }
    },
    { rounds: 15 },
  );
  if (sink === 0) throw new Error('decode: nothing decoded');
  return {
    measure: 'decode',
    what: '10,000 varied tokens',
    ours: ms(c.ours),
    baseline: `${ms(c.base)} (jose decode)`,
    ratio: c.ratio,
    budget: 1.5,
    pass: c.ratio <= 1.5,
  };
}

export async function scanMeasure(): Promise<Row> {
  const text = harTextOfSize(10 * 1024 * 1024, 11);
  const found = findTokens(text).length;
  // At the cap the scan would stop early and flatter itself.
  if (found >= MAX_FOUND_TOKENS) throw new Error(`scan: ${found} tokens reach the cap; make the text sparser`);
  const c = await compare(
    () => findTokens(text),
    () => JSON.parse(text),
    { rounds: 15 },
  );
  const mb = (text.length / 1024 / 1024).toFixed(1);
  return {
    measure: 'scan',
    what: `findTokens, ${mb} MB HAR text (${found} tokens)`,
    ours: ms(c.ours),
    baseline: `${ms(c.base)} (JSON.parse)`,
    ratio: c.ratio,
    budget: 1.0,
    pass: c.ratio <= 1.0,
  };
}

/** A DevtoolsApi with nothing behind it: the entries are handed to takeEntries directly. */
const quietApi: DevtoolsApi = {
  tabId: 1,
  themeName: 'default',
  onRequestFinished() {},
  onNavigated() {},
  getHAR: async () => [],
  getContent: async () => undefined,
  eval: async () => undefined,
};

/**
 * The panel's capture pipeline as PanelController runs it: one poll's entries through the reconciler and
 * sightingsFromEntry (bodies from content.text), the frame's flush into TokenStore.ingest (which also
 * queues each new token for verification; the worker never answers here), then records(), which settles
 * every record's analysis.
 */
export function ingestPipeline(entries: readonly NetworkRequest[]): number {
  let frame: (() => void) | undefined;
  const controller = new PanelController(quietApi, { verify: () => new Promise(() => {}) }, { schedule: (run) => void (frame = run) });
  controller.takeEntries(entries, 'poll');
  frame?.();
  return controller.store.records().length;
}

export async function ingestMeasure(): Promise<Row> {
  const entries = harEntries(10_000, 0.5, 7);
  const text = harText(entries);
  const tokens = ingestPipeline(entries as NetworkRequest[]);
  const c = await compare(
    () => ingestPipeline(entries as NetworkRequest[]),
    () => JSON.parse(text),
    // Each side allocates tens of megabytes and its collections vary from round to round: more rounds for
    // a steady median.
    { rounds: 21, maxMs: 30_000 },
  );
  const mb = (text.length / 1024 / 1024).toFixed(1);
  return {
    measure: 'ingest',
    what: `10,000 HAR entries (${mb} MB, ${tokens} distinct tokens) to records()`,
    ours: ms(c.ours),
    baseline: `${ms(c.base)} (JSON.parse)`,
    ratio: c.ratio,
    budget: 2.0,
    pass: c.ratio <= 2.0,
  };
}

export async function verifyMeasure(): Promise<Row> {
  const rng = new Rng(5);
  const algs = ['RS256', 'ES256', 'EdDSA'] as const;
  const keys: { kid: string; alg: string; privateKey: CryptoKey; jwk: JWK }[] = [];
  for (let i = 0; i < 20; i++) {
    const alg = algs[i % 3]!;
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: `key-${i}-${rng.word(6)}`, alg, use: 'sig' };
    keys.push({ kid: jwk.kid, alg, privateKey: privateKey as CryptoKey, jwk });
  }
  const jwks = JSON.stringify({ keys: keys.map((k) => k.jwk) });
  const imported = await Promise.all(keys.map((k) => importJWK(k.jwk, k.alg)));
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  const keyOf: (typeof imported)[number][] = [];
  for (let i = 0; i < 1000; i++) {
    const k = rng.int(keys.length);
    const key = keys[k]!;
    tokens.push(
      await new SignJWT({ sub: `user-${rng.word(8)}`, scope: 'openid profile', jti: rng.word(12) })
        .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
        .setIssuer('https://login.example.com/')
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key.privateKey),
    );
    keyOf.push(imported[k]!);
  }
  const input = { kind: 'jwks' as const, value: jwks };
  for (const t of tokens.slice(0, 20)) {
    const v = await verifyToken(t, input);
    if (v.status !== 'valid') throw new Error(`verify: expected valid, got ${v.status}: ${v.reason}`);
  }
  let valid = 0;
  const c = await compare(
    async () => {
      for (const t of tokens) if ((await verifyToken(t, input)).status === 'valid') valid++;
    },
    async () => {
      for (let i = 0; i < tokens.length; i++) if (await compactVerify(tokens[i]!, keyOf[i]!)) valid++;
    },
    // Both sides wait on WebCrypto's thread pool, whose latency on a shared machine varies from round to
    // round: more rounds for a steady median.
    { rounds: 21, maxMs: 15_000 },
  );
  if (valid === 0) throw new Error('verify: nothing verified');
  return {
    measure: 'verify',
    what: '1,000 tokens, stored JWKS of 20 keys (kid match)',
    ours: ms(c.ours),
    baseline: `${ms(c.base)} (jose.compactVerify, right key)`,
    ratio: c.ratio,
    budget: 1.3,
    pass: c.ratio <= 1.3,
  };
}

export async function weakSecretMeasure(): Promise<Row> {
  const list = parseSecretList(readFileSync(SECRETS_LIST, 'utf8'));
  const rng = new Rng(9);
  // A realistic HS256 token whose secret is not in the list: every candidate is tried.
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({ sub: 'user-1234', name: 'Test User', iat: 1700000000, exp: 1700003600, scope: 'openid profile email' }),
  );
  const secret = rng.word(40);
  const signingInput = `${header}.${payload}`;
  const token = `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
  const target = weakSecretTarget(token)!;
  const expected = Buffer.from(target.signature);
  const input = Buffer.from(signingInput);
  let missed = 0;
  const c = await compare(
    () => {
      if (tryCandidates(target, list) === -1) missed++;
    },
    () => {
      for (let i = 0; i < list.length; i++) {
        const mac = createHmac('sha256', list[i]!).update(input).digest();
        if (mac[0] === expected[0] && mac.equals(expected)) return;
      }
      missed++;
    },
    { warmup: 2, rounds: 9, maxMs: 15_000 },
  );
  if (missed === 0) throw new Error('weak secret: the secret was found');
  const perSecond = (t: number) => `${Math.round((list.length / t) * 1000).toLocaleString('en-US')}/s`;
  return {
    measure: 'weak secret',
    what: `${list.length.toLocaleString('en-US')} candidates, tryCandidates (speed ratio)`,
    ours: perSecond(c.ours),
    baseline: `${perSecond(c.base)} (node:crypto createHmac)`,
    ratio: 1 / c.ratio,
    budget: 0.25,
    atLeast: true,
    pass: 1 / c.ratio >= 0.25,
  };
}

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { TokenRecord } from '../../src/devtools/model/token-record';
import { TokenStore } from '../../src/devtools/model/token-store';
import { CAPTURE_FORMAT, stripSignature, exportCapture, importCapture } from '../../src/devtools/model/capture-file';
import { sightingsFromEntry, type CapturedSighting } from '../../src/capture/sightings-from-entry';
import { sightingsFromSnapshot } from '../../src/capture/storage-snapshot';
import { T0, T0_MS, TOKENS, entry, harEntries, sign } from './har-fixtures';

/** A store whose clock stands at T0 + `offsetSeconds`, movable. */
function storeAt(offsetSeconds: number, options: ConstructorParameters<typeof TokenStore>[0] = {}) {
  const clock = { now: T0_MS + offsetSeconds * 1000 };
  const store = new TokenStore({ now: () => clock.now, ...options });
  return { store, clock };
}

function ingestHar(store: TokenStore, browser: 'chrome' | 'firefox'): void {
  for (const e of harEntries(browser)) store.ingest(sightingsFromEntry(e));
}

const findingIds = (record: TokenRecord | undefined): string[] => (record?.findings ?? []).map((f) => f.id).sort();

describe('TokenStore: records', () => {
  it('keeps one record per distinct token, in order of first sighting, with roles from the names it came under', () => {
    const { store } = storeAt(300);
    ingestHar(store, 'chrome');
    const records = store.records();
    expect(records.map((r) => r.token)).toEqual([
      TOKENS.refresh1,
      TOKENS.access1,
      TOKENS.id1,
      TOKENS.dpop,
      TOKENS.session,
      TOKENS.renewedSession,
      TOKENS.upstream,
      TOKENS.implicit,
      TOKENS.refresh2,
      TOKENS.access2,
    ]);
    const role = (t: string) => store.get(t)?.role;
    expect(role(TOKENS.access1)).toBe('access');
    expect(role(TOKENS.refresh1)).toBe('refresh');
    expect(role(TOKENS.id1)).toBe('id');
    expect(store.get(TOKENS.id1)!.sightings.map((s) => s.sighting.where)).toEqual(['response-body', 'cookie', 'url', 'request-body']);
    expect(store.get(TOKENS.id1)!.firstSeen).toBe(T0_MS);
    expect(store.get(TOKENS.id1)!.lastSeen).toBe(T0_MS + 660_000);
    expect(store.get(TOKENS.access1)!.decoded).toMatchObject({ ok: true, kind: 'jws', header: { alg: 'HS256' } });
  });

  it('orders by firstSeen even when an older request arrives later (poll order)', async () => {
    const [a, b] = await Promise.all([sign({ n: 1 }), sign({ n: 2 })]);
    const { store } = storeAt(0);
    store.ingest(
      sightingsFromEntry(entry({ url: 'https://a.example/', time: T0 + 10, requestHeaders: [['authorization', `Bearer ${a}`]] })),
    );
    const before = store.records();
    store.ingest(sightingsFromEntry(entry({ url: 'https://a.example/', time: T0, requestHeaders: [['authorization', `Bearer ${b}`]] })));
    expect(store.records().map((r) => r.token)).toEqual([b, a]);
    expect(store.records()).not.toBe(before);
    expect(store.records()).toBe(store.records());
  });

  it('deduplicates a request read twice (event and poll, pending and done) and storage seen in every snapshot', () => {
    const { store } = storeAt(0);
    ingestHar(store, 'chrome');
    const count = store.sightingCount;
    const versions = store.records().map((r) => r.version);
    ingestHar(store, 'chrome');
    expect(store.sightingCount).toBe(count);
    expect(store.records().map((r) => r.version)).toEqual(versions);

    const snapshot = { url: 'https://app.example.com/', localStorage: [['t', TOKENS.access1]], sessionStorage: [], cookie: '' };
    store.ingest(sightingsFromSnapshot(snapshot, T0_MS + 700_000));
    store.ingest(sightingsFromSnapshot(snapshot, T0_MS + 800_000));
    expect(store.sightingCount).toBe(count + 1);
    expect(store.get(TOKENS.access1)!.lastSeen).toBe(T0_MS + 800_000);
  });

  it('ignores sightings of something that does not decode, and malformed batches', () => {
    const { store } = storeAt(0);
    store.ingest([{ token: 'not.a.token', sighting: { where: 'url' }, time: 1, requestUrl: 'x' }]);
    store.ingest([
      null,
      { token: TOKENS.access1 },
      { token: TOKENS.access1, sighting: { where: 'nowhere' }, time: 1, requestUrl: '' },
    ] as unknown as CapturedSighting[]);
    store.ingest(undefined as unknown as CapturedSighting[]);
    expect(store.size).toBe(0);
  });

  it('keeps at most maxSightings, dropping the oldest and tokens left with none', async () => {
    const tokens = await Promise.all([1, 2, 3, 4].map((n) => sign({ n })));
    const { store } = storeAt(0, { maxSightings: 5 });
    tokens.forEach((t, i) => {
      store.ingest(
        sightingsFromEntry(
          entry({
            url: `https://a.example/${i}`,
            time: T0 + i,
            requestHeaders: [
              ['authorization', `Bearer ${t}`],
              ['x-copy', t],
            ],
          }),
        ),
      );
    });
    expect(store.sightingCount).toBe(5);
    expect(store.dropped).toBe(3);
    expect(store.records().map((r) => r.token)).toEqual([tokens[1], tokens[2], tokens[3]]);
    expect(store.get(tokens[1]!)!.sightings.map((s) => s.sighting.where)).toEqual(['request-header']);
    expect(store.get(tokens[0]!)).toBeUndefined();
  });

  it('drops in bulk under a default bound of 10,000 sightings', async () => {
    const t = await sign({ n: 'bulk' });
    const { store } = storeAt(0);
    for (let i = 0; i < 10_050; i++) {
      store.ingest(
        sightingsFromEntry(entry({ url: `https://a.example/${i}`, time: T0 + i, requestHeaders: [['authorization', `Bearer ${t}`]] })),
      );
    }
    expect(store.sightingCount).toBe(10_000);
    expect(store.dropped).toBe(50);
    expect(store.get(t)!.sightings[0]!.requestUrl).toBe('https://a.example/50');
  });

  it('clear() empties the store', () => {
    const { store } = storeAt(0);
    ingestHar(store, 'chrome');
    const version = store.version;
    store.clear();
    expect(store.records()).toEqual([]);
    expect(store.sightingCount).toBe(0);
    expect(store.timeline()).toEqual([]);
    expect(store.version).toBeGreaterThan(version);
  });
});

describe('TokenStore: findings', () => {
  it('combines analysis of all sightings with the flow findings', () => {
    const { store } = storeAt(1000);
    ingestHar(store, 'chrome');
    ingestHar(store, 'firefox');
    expect(findingIds(store.get(TOKENS.implicit))).toContain('token-in-url');
    expect(findingIds(store.get(TOKENS.refresh1))).toContain('refresh-while-access-valid');
    expect(findingIds(store.get(TOKENS.ffAccess))).toEqual(
      expect.arrayContaining(['cookie-not-httponly', 'cookie-samesite-none', 'token-in-url', 'cleartext-http']),
    );
    expect(findingIds(store.get(TOKENS.ffLegacy))).toEqual(['no-expiry']);
  });

  it('does not analyse a token again for another sighting of the same kind', async () => {
    const t = await sign({ sub: 'u', exp: T0 + 3600, iat: T0 });
    const { store } = storeAt(0);
    const call = (i: number, path = '/v1/items') =>
      sightingsFromEntry(
        entry({ url: `https://api.example.com${path}?page=${i}`, time: T0 + i, requestHeaders: [['authorization', `Bearer ${t}`]] }),
      );
    store.ingest(call(1));
    const first = store.get(t)!.findings;
    store.ingest(call(2));
    store.ingest(call(3));
    expect(store.get(t)!.findings).toBe(first);
    store.ingest(call(4, '/v1/other'));
    expect(store.get(t)!.findings).not.toBe(first);
  });

  it('adds signature-invalid and weak-hmac-secret from the verification side, and removes them again', () => {
    const { store } = storeAt(0);
    ingestHar(store, 'chrome');
    expect(
      store.setVerification(TOKENS.access1, {
        status: 'invalid',
        alg: 'HS256',
        reason: 'The signature does not match the configured secret.',
      }),
    ).toBe(true);
    expect(store.setWeakSecret(TOKENS.access1, 'secret')).toBe(true);
    const record = store.get(TOKENS.access1)!;
    expect(record.verification?.status).toBe('invalid');
    expect(record.findings[0]!.id).toBe('weak-hmac-secret');
    expect(record.findings.find((f) => f.id === 'signature-invalid')!.detail).toContain('does not match the configured secret');
    // The secret is masked in the view until clicked, so the finding's text never shows it.
    const weak = record.findings.find((f) => f.id === 'weak-hmac-secret')!.detail;
    expect(weak).toContain('6-character secret');
    expect(weak).not.toContain('"secret"');
    expect(record.weakSecret).toBe('secret');
    store.setVerification(TOKENS.access1, { status: 'valid', alg: 'HS256' });
    store.setWeakSecret(TOKENS.access1, undefined);
    expect(findingIds(store.get(TOKENS.access1))).not.toContain('signature-invalid');
    expect(findingIds(store.get(TOKENS.access1))).not.toContain('weak-hmac-secret');
    expect(store.setVerification('unknown', { status: 'valid' })).toBe(false);
  });

  it('refreshTimeFindings redoes only clock-dependent findings, and only where they change', async () => {
    const [t, longLived] = await Promise.all([sign({ sub: 'u', iat: T0, exp: T0 + 900 }), sign({ sub: 'u', iat: T0, exp: T0 + 86400 })]);
    const { store } = storeAt(100);
    store.ingest(
      sightingsFromEntry(
        entry({
          url: 'https://a.example/',
          time: T0 + 100,
          requestHeaders: [
            ['authorization', `Bearer ${t}`],
            ['x-other', longLived],
          ],
        }),
      ),
    );
    const timeIds = () => findingIds(store.get(t)).filter((id) => id === 'expired' || id === 'expires-soon');
    expect(timeIds()).toEqual([]);
    expect(store.refreshTimeFindings(T0_MS + 200_000)).toEqual([]);
    // Expires soon from exp − 5 min.
    const changed = store.refreshTimeFindings(T0_MS + 650_000);
    expect(changed.map((r) => r.token)).toEqual([t]);
    expect(timeIds()).toEqual(['expires-soon']);
    // Same state, wording refreshed at most once a minute.
    expect(store.refreshTimeFindings(T0_MS + 655_000)).toEqual([]);
    expect(store.refreshTimeFindings(T0_MS + 720_000).map((r) => r.token)).toEqual([t]);
    store.refreshTimeFindings(T0_MS + 901_000);
    expect(timeIds()).toEqual(['expired']);
    expect(store.get(t)!.findings.find((f) => f.id === 'expired')!.detail).toContain('Expired 1 s ago');
    expect(findingIds(store.get(longLived))).toEqual([]);
  });

  it('keeps the other findings through time refreshes', () => {
    const { store } = storeAt(0);
    ingestHar(store, 'firefox');
    const timeBased = new Set(['expired', 'expires-soon', 'not-yet-valid', 'issued-in-future']);
    const before = findingIds(store.get(TOKENS.ffAccess)).filter((id) => !timeBased.has(id));
    expect(before).toContain('cookie-not-httponly');
    store.refreshTimeFindings(T0_MS + 5000_000);
    const after = findingIds(store.get(TOKENS.ffAccess));
    expect(after).toEqual(expect.arrayContaining([...before, 'expired']));
  });
});

describe('TokenStore: versions', () => {
  it('changedSince returns only records changed after the version read earlier', async () => {
    const { store } = storeAt(0);
    ingestHar(store, 'chrome');
    const v = store.version;
    expect(store.changedSince(v)).toEqual([]);
    store.setVerification(TOKENS.id1, { status: 'valid', alg: 'RS256' });
    expect(store.changedSince(v).map((r) => r.token)).toEqual([TOKENS.id1]);
    const v2 = store.version;
    const t = await sign({ n: 'new' });
    store.ingest(sightingsFromEntry(entry({ url: 'https://a.example/', time: T0 + 5, requestHeaders: [['x-t', t]] })));
    expect(store.changedSince(v2).map((r) => r.token)).toEqual([t]);
    expect(store.changedSince(0)).toHaveLength(store.records().length);
  });
});

/** A well-formed sighting of a capture file, for the files these tests write by hand. */
const GOOD_SIGHTING = {
  where: 'authorization-header',
  name: 'authorization',
  url: 'https://a.example/',
  time: T0_MS,
  requestUrl: 'https://a.example/',
};

describe('TokenStore: export and import', () => {
  it('round-trips a capture', () => {
    const { store } = storeAt(300);
    ingestHar(store, 'chrome');
    ingestHar(store, 'firefox');
    store.setVerification(TOKENS.id1, { status: 'valid', alg: 'RS256', kid: 'test-rsa' });
    store.setWeakSecret(TOKENS.access1, 'secret');
    const json = exportCapture(store, { stripSignatures: false });
    const file = JSON.parse(json) as { format: string; version: number; signatures: string };
    expect(file).toMatchObject({ format: CAPTURE_FORMAT, version: 1, signatures: 'kept' });
    // A weak secret is a key: it never leaves in an export.
    expect(json).not.toContain('"secret"');

    const { store: copy } = storeAt(300);
    expect(importCapture(copy, json)).toEqual({ imported: store.records().length, errors: [] });
    expect(copy.records().map((r) => r.token)).toEqual(store.records().map((r) => r.token));
    for (const record of store.records()) {
      expect(copy.get(record.token)!.sightings).toEqual(record.sightings);
    }
    // A verdict in a file is not trusted: the imported token waits for its own verification.
    expect(copy.get(TOKENS.id1)!.verification).toBeUndefined();
    expect(findingIds(copy.get(TOKENS.refresh1))).toEqual(findingIds(store.get(TOKENS.refresh1)));
  });

  it('exports a verdict as its status, alg and kid only: no key label, key kid, thumbprint or reason', () => {
    const { store } = storeAt(300);
    ingestHar(store, 'chrome');
    store.setVerification(TOKENS.id1, {
      status: 'valid',
      alg: 'RS256',
      kid: 'test-rsa',
      key: { label: 'Production signing key', kid: 'prod-2026', thumbprint: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', index: 3 },
    });
    store.setVerification(TOKENS.access1, {
      status: 'invalid',
      alg: 'HS256',
      reason: 'Tried "Staging secret" and https://login.internal.example/jwks.json: no signature matched.',
      key: { label: 'Staging secret', index: 1 },
    });
    const json = exportCapture(store, { stripSignatures: false });
    for (const leak of [
      'Production signing key',
      'prod-2026',
      'NzbLsXh8uDCcd',
      'Staging secret',
      'login.internal.example',
      '"reason"',
      '"key"',
    ]) {
      expect(json).not.toContain(leak);
    }
    const file = JSON.parse(json) as { tokens: { token: string; verification?: unknown }[] };
    expect(file.tokens.find((t) => t.token === TOKENS.id1)!.verification).toEqual({ status: 'valid', alg: 'RS256', kid: 'test-rsa' });
    expect(file.tokens.find((t) => t.token === TOKENS.access1)!.verification).toEqual({ status: 'invalid', alg: 'HS256' });
  });

  it('never shows a verdict read from a file, even a well-formed "valid" one', () => {
    const file = {
      format: CAPTURE_FORMAT,
      version: 1,
      signatures: 'kept',
      tokens: [{ token: TOKENS.access1, sightings: [GOOD_SIGHTING], verification: { status: 'valid', alg: 'HS256', kid: 'k' } }],
    };
    const { store } = storeAt(0);
    expect(importCapture(store, JSON.stringify(file))).toEqual({ imported: 1, errors: [] });
    expect(store.get(TOKENS.access1)!.verification).toBeUndefined();
  });

  it('strips signatures from tokens and from every URL and key that holds one', () => {
    const { store } = storeAt(300);
    ingestHar(store, 'chrome');
    ingestHar(store, 'firefox');
    store.setVerification(TOKENS.id1, { status: 'valid', alg: 'RS256' });
    const json = exportCapture(store, { stripSignatures: true });
    for (const token of Object.values(TOKENS)) {
      const signature = token.slice(token.lastIndexOf('.') + 1);
      expect(json).not.toContain(signature);
    }
    const file = JSON.parse(json) as {
      signatures: string;
      tokens: { token: string; signatureStripped?: boolean; verification?: unknown }[];
    };
    expect(file.signatures).toBe('stripped');
    expect(file.tokens.every((t) => t.token.endsWith('.') && t.signatureStripped === true && t.verification === undefined)).toBe(true);

    const { store: copy } = storeAt(300);
    const result = importCapture(copy, json);
    expect(result.errors).toEqual([]);
    const stripped = copy.get(stripSignature(TOKENS.access1))!;
    expect(stripped.signatureStripped).toBe(true);
    expect(stripped.decoded).toMatchObject({ ok: true, signatureLength: 0 });
    // The empty signature is the export's doing, not the token's.
    expect(findingIds(stripped)).not.toContain('empty-signature');
    expect(copy.get(stripSignature(TOKENS.implicit))!.sightings[0]!.sighting.url).toBe(
      `https://app.example.com/callback#access_token=${stripSignature(TOKENS.implicit)}&token_type=Bearer&expires_in=3600`,
    );
  });

  it('reports what is wrong with a hostile or broken file, and imports the rest', () => {
    const { store } = storeAt(0);
    expect(importCapture(store, 'not json').errors).toEqual(['The file is not JSON.']);
    expect(importCapture(store, '{"format":"har"}').errors).toEqual(['The file is not a JWT Inspector capture.']);
    expect(importCapture(store, JSON.stringify({ format: CAPTURE_FORMAT, version: 2, tokens: [] })).errors[0]).toContain(
      'version 2 is not supported',
    );
    expect(importCapture(store, JSON.stringify({ format: CAPTURE_FORMAT, version: 1, tokens: {} })).errors).toEqual([
      'The capture has no token list.',
    ]);
    expect(importCapture(store, 42 as unknown as string).errors).toEqual(['The file is not text.']);

    const file = {
      format: CAPTURE_FORMAT,
      version: 1,
      tokens: [
        {
          token: TOKENS.access1,
          sightings: [
            GOOD_SIGHTING,
            { ...GOOD_SIGHTING, where: 'elsewhere' },
            { ...GOOD_SIGHTING, time: 'yesterday' },
            { ...GOOD_SIGHTING, cookie: { httpOnly: 'yes' } },
          ],
        },
        { token: `${TOKENS.access1} and more`, sightings: [GOOD_SIGHTING] },
        { token: 'eyJhbGciOiJub25lIn0.e30.', sightings: [{ ...GOOD_SIGHTING, status: 99999 }] },
        { PROTO_KEY: { polluted: true }, token: TOKENS.id1, sightings: [{ ...GOOD_SIGHTING, method: 'GET; rm -rf' }] },
        { token: TOKENS.session, sightings: [GOOD_SIGHTING], verification: { status: 'trust-me' } },
        'junk',
      ],
    };
    // JSON.parse makes "__proto__" an own property; nothing may copy it onto a prototype.
    const json = JSON.stringify(file).replace('"PROTO_KEY"', '"__proto__"');
    expect(json).toContain('"__proto__":{"polluted":true}');
    const result = importCapture(store, json);
    expect(result.imported).toBe(2);
    expect(result.errors).toEqual([
      'tokens[0].sightings[1]: "where" is not a known place.',
      'tokens[0].sightings[2]: "time" is not a number.',
      'tokens[0].sightings[3]: "cookie" is not a set of cookie attributes.',
      'tokens[1]: "token" is not a JWT.',
      'tokens[2].sightings[0]: "status" is not an HTTP status.',
      'tokens[2]: no valid sightings.',
      'tokens[3].sightings[0]: "method" is not an HTTP method.',
      'tokens[3]: no valid sightings.',
      'tokens[5]: not an object.',
    ]);
    expect(store.records().map((r) => r.token)).toEqual([TOKENS.access1, TOKENS.session]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('caps the errors it lists', () => {
    const { store } = storeAt(0);
    const file = { format: CAPTURE_FORMAT, version: 1, tokens: Array.from({ length: 80 }, () => 'junk') };
    const { errors } = importCapture(store, JSON.stringify(file));
    expect(errors).toHaveLength(51);
    expect(errors[50]).toBe('… and 30 more problems.');
  });

  it('never throws on arbitrary JSON (property)', () => {
    const sighting = fc.record(
      {
        where: fc.oneof(fc.constantFrom('url', 'cookie', 'set-cookie'), fc.anything()),
        time: fc.oneof(fc.double(), fc.anything()),
        requestUrl: fc.oneof(fc.string(), fc.anything()),
        cookie: fc.anything(),
        status: fc.anything(),
        side: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const capture = fc.record({
      format: fc.constantFrom(CAPTURE_FORMAT, 'x'),
      version: fc.constantFrom(1, 2, '1'),
      tokens: fc.oneof(
        fc.array(
          fc.record({
            token: fc.oneof(fc.constantFrom(TOKENS.access1, TOKENS.ffLegacy), fc.string()),
            sightings: fc.oneof(fc.array(sighting), fc.anything()),
            verification: fc.anything(),
          }),
          { maxLength: 5 },
        ),
        fc.anything(),
      ),
    });
    fc.assert(
      fc.property(fc.oneof(capture, fc.jsonValue()), (value) => {
        const { store } = storeAt(0);
        const result = importCapture(store, JSON.stringify(value) ?? 'null');
        expect(result.imported).toBeGreaterThanOrEqual(0);
        expect(Array.isArray(result.errors)).toBe(true);
        store.records();
      }),
      { numRuns: 300 },
    );
  });
});

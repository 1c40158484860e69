import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { decodeToken, isJsonText, MAX_TOKEN_BYTES } from '../../src/core/decode';
import type { DecodedToken, DecodedTokenSuccess, DecodedTokenFailure } from '../../src/core/types';

// Expected values are computed here with Node's Buffer and JSON, never with the code under test.
const fixture = (rel: string) => new URL(`../fixtures/${rel}`, import.meta.url);
const readJson = (rel: string): any => JSON.parse(readFileSync(fixture(rel), 'utf8'));
const b64u = (v: string | object) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64url');
const partText = (part: string) => Buffer.from(part, 'base64url').toString('utf8');
const partJson = (part: string) => JSON.parse(partText(part));
const sigLen = (part: string) => Buffer.from(part, 'base64url').length;

function ok(r: DecodedToken): DecodedTokenSuccess {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r;
}
function bad(r: DecodedToken): DecodedTokenFailure {
  if (r.ok) throw new Error(`expected failure, got a ${r.kind}`);
  return r;
}

const HS = b64u({ alg: 'HS256', typ: 'JWT' });
const CLAIMS = b64u({ sub: '1234567890', name: 'John Doe', iat: 1516239022 });
const SIG = b64u('0123456789abcdef0123456789abcdef');

describe('decodeToken: RFC 7515 / 7519 / 8037 examples', () => {
  const { entries } = readJson('rfc-examples/rfc-jose-examples.json') as { entries: any[] };
  const compact = entries.filter((e) => e.serialization === 'compact');

  it('has the ten compact examples', () => {
    expect(compact).toHaveLength(10);
  });

  it.each(compact.map((e) => [e.name, e]))('%s decodes to its documented header and payload', (_name, e) => {
    const parts: string[] = e.token.split('.');
    const r = ok(decodeToken(e.token));
    expect(r.raw).toBe(e.token);
    expect(r.parts).toEqual(parts);
    expect(r.header).toEqual(partJson(parts[0]!));
    expect(r.header.alg).toBe(e.alg);
    if (e.kind === 'JWE') {
      expect(r.kind).toBe('jwe');
      expect(r.header.enc).toBe(e.enc);
      expect(r.payload).toBeUndefined();
      expect(r.signatureLength).toBeUndefined();
      expect(parts).toHaveLength(5);
    } else {
      expect(r.kind).toBe(e.alg === 'none' ? 'unsecured' : 'jws');
      const text = partText(parts[1]!);
      if (text.startsWith('{')) {
        expect(r.payloadIsJson).toBe(true);
        expect(r.payload).toEqual(JSON.parse(text));
      } else {
        expect(r.payloadIsJson).toBe(false);
        expect(r.payload).toBe(text);
      }
      expect(r.signatureLength).toBe(sigLen(parts[2]!));
    }
  });

  it('matches the values the RFCs print', () => {
    const byName = Object.fromEntries(compact.map((e) => [e.name, ok(decodeToken(e.token))]));
    // RFC 7515 A.1: the header has CRLF + space inside the JSON.
    expect(byName['rfc7515-A.1-HS256']!.header).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(byName['rfc7515-A.1-HS256']!.payload).toEqual({ iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true });
    expect(byName['rfc7515-A.1-HS256']!.signatureLength).toBe(32);
    expect(byName['rfc7515-A.2-RS256']!.signatureLength).toBe(256);
    expect(byName['rfc7515-A.3-ES256']!.signatureLength).toBe(64);
    expect(byName['rfc7515-A.4-ES512']!.payload).toBe('Payload');
    expect(byName['rfc7515-A.4-ES512']!.signatureLength).toBe(132);
    expect(byName['rfc7515-A.5-unsecured-none']!.kind).toBe('unsecured');
    expect(byName['rfc7515-A.5-unsecured-none']!.signatureLength).toBe(0);
    expect(byName['rfc8037-A.4-Ed25519']!.payload).toBe('Example of Ed25519 signing');
    expect(byName['rfc7519-A.1-encrypted-JWT']!.nested).toBe(false);
    expect(byName['rfc7519-A.2-nested-JWT']!.header.cty).toBe('JWT');
    expect(byName['rfc7519-A.2-nested-JWT']!.nested).toBe(true);
  });
});

describe('decodeToken: RFC 7520 cookbook', () => {
  const jwsFiles = readdirSync(fixture('rfc7520/jws')).filter((f) => f.endsWith('.json'));
  const jwsCompact = jwsFiles.map((f) => [f, readJson(`rfc7520/jws/${f}`)] as const).filter(([, d]) => d.output?.compact);

  it('has the five compact JWS examples', () => {
    expect(jwsCompact.map(([f]) => f.slice(0, 3))).toEqual(['4_1', '4_2', '4_3', '4_4', '4_5']);
  });

  it.each(jwsCompact)('%s', (_f, d) => {
    const r = ok(decodeToken(d.output.compact));
    expect(r.kind).toBe('jws');
    expect(r.parts[0]).toBe(d.signing.protected_b64u);
    expect(r.header).toEqual(d.signing.protected);
    expect(r.signatureLength).toBe(sigLen(d.signing.sig));
    if (r.parts[1] === '') {
      // 4.5 detached content: the payload travels elsewhere.
      expect(r.payload).toBe('');
    } else {
      // A UTF-8 text payload with a U+2019 in it ("It’s a dangerous business…").
      expect(r.payload).toBe(d.input.payload);
      expect(r.payloadIsJson).toBe(false);
    }
  });

  const jweFiles = readdirSync(fixture('rfc7520/jwe')).filter((f) => f.endsWith('.json'));
  const jweCompact = jweFiles.map((f) => [f, readJson(`rfc7520/jwe/${f}`)] as const).filter(([, d]) => d.output?.compact);

  it('has the five compact JWE examples', () => {
    expect(jweCompact).toHaveLength(5);
  });

  it.each(jweCompact)('%s', (_f, d) => {
    const r = ok(decodeToken(d.output.compact));
    expect(r.kind).toBe('jwe');
    expect(r.header).toEqual(d.encrypting_content.protected);
    expect(r.parts).toEqual([
      d.encrypting_content.protected_b64u,
      d.encrypting_key?.encrypted_key ?? '', // "dir" has no encrypted key
      d.generated.iv,
      d.encrypting_content.ciphertext,
      d.encrypting_content.tag,
    ]);
    expect(r.payload).toBeUndefined();
    expect(r.payloadIsJson).toBeUndefined();
    expect(r.nested).toBe(false);
  });

  it('6: nesting signatures and encryption', () => {
    const d = readJson('rfc7520/6.nesting_signatures_and_encryption.json');
    const inner = ok(decodeToken(d.sign.output.compact));
    expect(inner.kind).toBe('jws');
    expect(inner.header).toEqual(d.sign.signing.protected);
    expect(inner.payload).toEqual(JSON.parse(d.sign.input.payload));
    const outer = ok(decodeToken(d.encrypt.output.compact));
    expect(outer.kind).toBe('jwe');
    expect(outer.header).toEqual(d.encrypt.encrypting_content.protected);
    expect(outer.nested).toBe(true);
  });

  it('curve25519: Ed25519 signing', () => {
    const d = readJson('rfc7520/curve25519/jws.json');
    const r = ok(decodeToken(d.output.compact));
    expect(r.header).toEqual(d.signing.protected);
    expect(r.payload).toBe(d.input.payload);
    expect(r.signatureLength).toBe(64);
  });

  it('RFC 7797 b64:false — the payload part is the payload itself', () => {
    const d = readJson('rfc7520/rfc7797/hmac-sha2_b64_false.json');
    const r = ok(decodeToken(d.output.compact));
    expect(r.header).toEqual({ alg: 'HS256', b64: false, crit: ['b64'] });
    expect(r.payload).toBe(d.input.payload);
    expect(r.signatureLength).toBe(32);
  });
});

describe('decodeToken: latchset/jose vectors', () => {
  const files = readdirSync(fixture('latchset-jose')).filter((f) => f.endsWith('.jwsc'));
  it('has the five compact files', () => expect(files).toHaveLength(5));
  it.each(files)('%s', (f) => {
    const token = readFileSync(fixture(`latchset-jose/${f}`), 'utf8');
    const parts = token.split('.');
    const r = ok(decodeToken(token));
    expect(r.header).toEqual(partJson(parts[0]!));
    const text = partText(parts[1]!);
    expect(r.payload).toEqual(text.startsWith('{') ? JSON.parse(text) : text);
    expect(r.signatureLength).toBe(sigLen(parts[2]!));
    expect(r.kind).toBe(f === 'rfc7515_A.5.jwsc' ? 'unsecured' : 'jws');
  });
});

describe('decodeToken: Wycheproof JSON web signature tests', () => {
  const data = readJson('wycheproof/json_web_signature_test.json');
  const tests: { tcId: number; jws: string; result: string }[] = data.testGroups.flatMap((g: any) => g.tests);

  it('covers all 401 tests, 400 of them compact', () => {
    expect(tests).toHaveLength(401);
    expect(data.numberOfTests).toBe(401);
    expect(tests.filter((t) => !t.jws.trimStart().startsWith('{'))).toHaveLength(400);
  });

  it('returns a result object for every test and never throws', () => {
    for (const t of tests) {
      const r = decodeToken(t.jws);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) {
        expect(typeof r.error.code).toBe('string');
        expect(r.error.message.length).toBeGreaterThan(0);
      }
    }
  });

  it('decodes every token labelled valid whose parts are strict base64url and UTF-8 text', () => {
    const strictPart = (p: string) =>
      /^[A-Za-z0-9_-]*$/.test(p) && p.length % 4 !== 1 && Buffer.from(Buffer.from(p, 'base64url')).toString('base64url') === p;
    const isUtf8 = (p: string) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(p, 'base64url'));
        return true;
      } catch {
        return false;
      }
    };
    let checked = 0;
    for (const t of tests) {
      if (t.result !== 'valid' || t.jws.startsWith('{')) continue;
      const parts = t.jws.split('.');
      const r = decodeToken(t.jws);
      if (parts.length === 3 && parts.every(strictPart) && isUtf8(parts[1]!)) {
        const s = ok(r);
        expect(s.header).toEqual(partJson(parts[0]!));
        checked++;
      } else {
        // Labelled valid but binary payload (not shown as text) or a '?' inserted (tcId 372/373).
        expect(bad(r).error.code).toMatch(/^(invalid-utf8|invalid-base64url)$/);
      }
    }
    expect(checked).toBe(38);
  });
});

describe('decodeToken: kinds and flags', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('alg %j is unsecured', (alg) => {
    const r = ok(decodeToken(`${b64u({ alg })}.${CLAIMS}.`));
    expect(r.kind).toBe('unsecured');
    expect(r.signatureLength).toBe(0);
  });

  it('an unsecured token with a signature still decodes (analysis judges it)', () => {
    expect(ok(decodeToken(`${b64u({ alg: 'none' })}.${CLAIMS}.${SIG}`)).signatureLength).toBe(32);
  });

  it('a JWS with an empty signature decodes with signatureLength 0', () => {
    const r = ok(decodeToken(`${HS}.${CLAIMS}.`));
    expect(r.kind).toBe('jws');
    expect(r.signatureLength).toBe(0);
  });

  it('JWE: header shown, the rest is not interpreted; enc is not required', () => {
    const r = ok(decodeToken(`${b64u({ alg: 'dir', enc: 'A256GCM' })}..${b64u('iv')}.${b64u('ct')}.${b64u('tag')}`));
    expect(r.kind).toBe('jwe');
    expect(r.header).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(r.payload).toBeUndefined();
    expect(ok(decodeToken(`${b64u({ alg: 'RSA-OAEP' })}.AA.AA.AA.AA`)).kind).toBe('jwe');
  });

  it.each(['JWT', 'jwt', 'Jwt', 'application/JWT', 'application/jwt'])('cty %j marks the token nested', (cty) => {
    expect(ok(decodeToken(`${b64u({ alg: 'HS256', cty })}.${b64u('x')}.${SIG}`)).nested).toBe(true);
  });

  it('a payload that is itself a compact token marks it nested', () => {
    const inner = `${HS}.${CLAIMS}.${SIG}`;
    const r = ok(decodeToken(`${b64u({ alg: 'RS256' })}.${b64u(inner)}.${SIG}`));
    expect(r.payload).toBe(inner);
    expect(r.payloadIsJson).toBe(false);
    expect(r.nested).toBe(true);
  });

  it('a plain JWT is not nested, nor is a payload that merely looks dotted', () => {
    expect(ok(decodeToken(`${HS}.${CLAIMS}.${SIG}`)).nested).toBe(false);
    expect(ok(decodeToken(`${HS}.${b64u('a.b.c')}.${SIG}`)).nested).toBe(false);
    expect(ok(decodeToken(`${HS}.${b64u('e30.e30.e30')}.${SIG}`)).nested).toBe(false); // {} has no alg
    expect(ok(decodeToken(`${b64u({ alg: 'HS256', cty: 'json' })}.${CLAIMS}.${SIG}`)).nested).toBe(false);
  });

  it.each([
    ['an array', '[1,2]'],
    ['a number', '123'],
    ['a JSON string', '"text"'],
    ['null', 'null'],
    ['broken JSON', '{"a":'],
    ['plain text', 'hello, world'],
    ['empty text', ''],
  ])('keeps a payload that is %s as text', (_what, text) => {
    const r = ok(decodeToken(`${HS}.${b64u(text)}.${SIG}`));
    expect(r.payload).toBe(text);
    expect(r.payloadIsJson).toBe(false);
  });

  it('parses a JSON object payload, with surrounding whitespace and non-ASCII text', () => {
    const r = ok(decodeToken(`${HS}.${b64u(' \n{"name":"Zoë 😀"}\n')}.${SIG}`));
    expect(r.payloadIsJson).toBe(true);
    expect(r.payload).toEqual({ name: 'Zoë 😀' });
  });
});

describe('decodeToken: failures carry a stable code, the part and plain words', () => {
  const cases: [string, unknown, string, number | undefined, RegExp][] = [
    ['empty', '', 'empty', undefined, /empty/],
    ['one part', 'abc', 'wrong-part-count', undefined, /3 parts .* or 5 parts .*this one has 1/],
    ['two parts', 'abc.def', 'wrong-part-count', undefined, /has 2/],
    ['four parts', 'a.b.c.d', 'wrong-part-count', undefined, /has 4/],
    ['many parts', 'a.b.c.d.e.f.g', 'wrong-part-count', undefined, /more than 5/],
    ['empty header', `.${CLAIMS}.${SIG}`, 'empty-part', 0, /header \(part 1\) is empty/],
    [
      '+ in payload',
      `${HS}.ab+d.${SIG}`,
      'invalid-base64url',
      1,
      new RegExp(`payload \\(part 2\\) is not valid base64url: '\\+' at position ${HS.length + 3}`),
    ],
    ['padding', `${HS}=.${CLAIMS}.${SIG}`, 'invalid-base64url', 0, /header \(part 1\).*'='/],
    ['whitespace', `${HS}.${CLAIMS}.${SIG}\n`, 'invalid-base64url', 2, /signature \(part 3\).*line break/],
    ['Bearer prefix', `Bearer ${HS}.${CLAIMS}.${SIG}`, 'invalid-base64url', 0, /a space at position 6/],
    ['4k+1 length', `${HS}.${CLAIMS}.abcde`, 'invalid-base64url', 2, /length \(5 characters\)/],
    ['trailing bits', `${HS}.${CLAIMS}.ab`, 'invalid-base64url', 2, /last character 'b'/],
    ['JWE tag', `${b64u({ alg: 'dir', enc: 'A128GCM' })}..aaaa.bbbb.c/c`, 'invalid-base64url', 4, /authentication tag \(part 5\)/],
    [
      'header bytes not UTF-8',
      `${Buffer.from([0x7b, 0xff]).toString('base64url')}.${CLAIMS}.${SIG}`,
      'invalid-utf8',
      0,
      /header \(part 1\).*UTF-8.*0xff at offset 1/,
    ],
    [
      'payload bytes not UTF-8',
      `${HS}.${Buffer.from([0xc0, 0x80]).toString('base64url')}.${SIG}`,
      'invalid-utf8',
      1,
      /payload \(part 2\).*binary/,
    ],
    ['header not JSON', `${b64u('{alg:HS256}')}.${CLAIMS}.${SIG}`, 'header-not-json', 0, /header \(part 1\) is not JSON/],
    ['header with BOM', `${b64u('\uFEFF{"alg":"HS256"}')}.${CLAIMS}.${SIG}`, 'header-not-json', 0, /byte order mark/],
    ['header an array', `${b64u('["alg"]')}.${CLAIMS}.${SIG}`, 'header-not-object', 0, /an array, not an object/],
    ['header null', `${b64u('null')}.${CLAIMS}.${SIG}`, 'header-not-object', 0, /null, not an object/],
    ['header a string', `${b64u('"HS256"')}.${CLAIMS}.${SIG}`, 'header-not-object', 0, /a string, not an object/],
    ['no alg', `${b64u({ typ: 'JWT' })}.${CLAIMS}.${SIG}`, 'header-missing-alg', 0, /no "alg"/],
    ['alg a number', `${b64u({ alg: 256 })}.${CLAIMS}.${SIG}`, 'header-missing-alg', 0, /not a string \(it is number\)/],
    ['alg null', `${b64u({ alg: null })}.${CLAIMS}.${SIG}`, 'header-missing-alg', 0, /it is null/],
    ['JWE without alg', `${b64u({ enc: 'A128GCM' })}.a.b.c.d`, 'header-missing-alg', 0, /no "alg"/],
    ['a number', 42, 'not-a-string', undefined, /type number/],
    ['null', null, 'not-a-string', undefined, /null/],
    ['undefined', undefined, 'not-a-string', undefined, /undefined/],
    ['an object', { token: 'x' }, 'not-a-string', undefined, /object/],
    ['an array', ['a', 'b', 'c'], 'not-a-string', undefined, /array/],
    ['a String object', new String(`${HS}.${CLAIMS}.${SIG}`), 'not-a-string', undefined, /object/],
    ['a symbol', Symbol('x'), 'not-a-string', undefined, /symbol/],
    ['a bigint', 10n, 'not-a-string', undefined, /bigint/],
    [
      'a revoked proxy',
      (() => {
        const r = Proxy.revocable({}, {});
        r.revoke();
        return r.proxy;
      })(),
      'not-a-string',
      undefined,
      /unusable/,
    ],
    ['a function', () => 'token', 'not-a-string', undefined, /function/],
  ];

  it.each(cases)('%s', (_what, input, code, part, message) => {
    const r = bad(decodeToken(input as string));
    expect(r.error.code).toBe(code);
    expect(r.error.part).toBe(part);
    expect(r.error.message).toMatch(message);
    if (typeof input === 'string') expect(r.raw).toBe(input);
  });

  it(`refuses input over MAX_TOKEN_BYTES (${MAX_TOKEN_BYTES}) with 'too-large', before any other check`, () => {
    expect(MAX_TOKEN_BYTES).toBe(1024 * 1024);
    // Would be 'wrong-part-count' or worse if it were looked at.
    expect(bad(decodeToken('.'.repeat(MAX_TOKEN_BYTES + 1))).error.code).toBe('too-large');
    expect(bad(decodeToken('\uD800'.repeat(MAX_TOKEN_BYTES + 1))).error.code).toBe('too-large');
    // At the limit the token is decoded.
    const pad = MAX_TOKEN_BYTES - HS.length - CLAIMS.length - 2;
    const big = `${HS}.${CLAIMS}.${'A'.repeat(pad - (pad % 4))}`;
    expect(ok(decodeToken(big)).signatureLength).toBe(((pad - (pad % 4)) / 4) * 3);
  });
});

describe('decodeToken: no prototype pollution', () => {
  const payloadOf = (json: string) => ok(decodeToken(`${HS}.${b64u(json)}.${SIG}`)).payload as Record<string, any>;

  it('reads a header "__proto__" as data and leaves Object.prototype alone', () => {
    const r = ok(decodeToken(`${b64u('{"alg":"HS256","__proto__":{"polluted":"yes","alg":"none"}}')}.${CLAIMS}.${SIG}`));
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(r.header.alg).toBe('HS256');
    expect(r.header.__proto__).toEqual({ polluted: 'yes', alg: 'none' });
    expect(Object.getOwnPropertyDescriptor(r.header, '__proto__')).toMatchObject({
      value: { polluted: 'yes', alg: 'none' },
      enumerable: true,
    });
    expect(Object.getPrototypeOf(r.header)).toBe(Object.prototype);
    expect((r.header as any).polluted).toBeUndefined();
    expect(Object.keys(r.header)).toEqual(['alg', '__proto__']);
  });

  it('does the same for payload claims, nested objects and escaped keys', () => {
    const p = payloadOf('{"sub":"x","a":{"b":{"__proto__":{"isAdmin":true}}},"\\u005f_proto__":{"polluted":1}}');
    expect(({} as any).isAdmin).toBeUndefined();
    expect(({} as any).polluted).toBeUndefined();
    expect(p.__proto__).toEqual({ polluted: 1 });
    expect(p.a.b.__proto__).toEqual({ isAdmin: true });
    expect(p.a.b.isAdmin).toBeUndefined();
    expect(p.isAdmin).toBeUndefined();
  });

  it('stays harmless when consumers copy the objects with spread, entries or structuredClone', () => {
    const p = payloadOf('{"__proto__":{"polluted":"yes"}}');
    const spread = { ...p };
    const fromEntries = Object.fromEntries(Object.entries(p));
    const cloned = structuredClone(p);
    for (const copy of [spread, fromEntries, cloned]) {
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect((copy as any).polluted).toBeUndefined();
    }
    expect(({} as any).polluted).toBeUndefined();
  });

  it('ignores constructor.prototype payloads', () => {
    const p = payloadOf('{"constructor":{"prototype":{"polluted":"yes"}}}');
    expect(p.constructor).toEqual({ prototype: { polluted: 'yes' } });
    expect(({} as any).polluted).toBeUndefined();
    expect(String(p)).toBe('[object Object]');
  });
});

describe('decodeToken: never throws (property)', () => {
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)); // lone surrogates too
  const fragment = fc.constantFrom(
    'eyJ',
    '.',
    '..',
    'e30',
    'W10',
    'eyJhbGciOiJub25lIn0',
    HS,
    CLAIMS,
    SIG,
    'A',
    'Zg',
    '=',
    '+',
    '/',
    ' ',
    '\n',
    '\u0000',
    'é',
    '\uD800',
    '😀',
    '%2E',
  );
  const mixes = fc.array(fragment, { maxLength: 12 }).map((a) => a.join(''));
  const headerish = fc
    .tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 8 }))
    .map(([h, p, s]) => `${b64u(JSON.stringify(h) ?? 'null')}.${b64u(JSON.stringify(p) ?? 'null')}.${s}`);

  it('on arbitrary strings and mixes of token fragments', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: anyUnit }), mixes, headerish), (s) => {
        const r = decodeToken(s);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.error.message).not.toBe('');
      }),
      { numRuns: 2000 },
    );
  });

  it('on arbitrary non-string values', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        if (typeof v === 'string') return;
        expect(bad(decodeToken(v as string)).error.code).toBe('not-a-string');
      }),
    );
  });

  it('decodes generated tokens to exactly the JSON that was encoded', () => {
    const header = fc
      .record({ alg: fc.string({ maxLength: 10 }) })
      .chain((h) =>
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((extra) => ({ ...extra, ...h })),
      );
    const claims = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
    fc.assert(
      fc.property(header, claims, fc.uint8Array({ maxLength: 80 }), (h, c, sig) => {
        const token = `${b64u(h)}.${b64u(c)}.${Buffer.from(sig).toString('base64url')}`;
        const r = ok(decodeToken(token));
        expect(r.header).toEqual(JSON.parse(JSON.stringify(h)));
        expect(r.payload).toEqual(JSON.parse(JSON.stringify(c)));
        expect(r.payloadIsJson).toBe(true);
        expect(r.signatureLength).toBe(sig.length);
        expect(r.kind).toBe(h.alg.toLowerCase() === 'none' ? 'unsecured' : 'jws');
      }),
      { numRuns: 500 },
    );
  });
});

describe('isJsonText (the exception-free JSON check used while scanning)', () => {
  const parses = (s: string) => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  };

  it.each([
    '{}',
    '[]',
    '{"a":1}',
    ' {"a" : [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ',
    '"\\ud800"',
    '0',
    '-0.0E1',
    '[[[]]]',
    '{"a":{"b":{"c":[{}]}}}',
    '',
    ' ',
    '{',
    '}',
    '{"a"}',
    '{"a":}',
    '{a:1}',
    "{'a':1}",
    '[1,]',
    '[,1]',
    '{"a":1,}',
    '01',
    '1.',
    '.5',
    '1e',
    '-',
    '+1',
    'tru',
    'nul',
    'true false',
    '"\\x"',
    '"\\u12"',
    '"a\nb"',
    '"\t"',
    '[1 2]',
    '{"a":1 "b":2}',
    '{"a" 1}',
    '\uFEFF{}',
    'NaN',
    'Infinity',
    '[1]]',
    '{"a":1}}',
    '"abc',
    '\u00a0{}',
  ])('agrees with JSON.parse on %j', (s) => {
    expect(isJsonText(s)).toBe(parses(s));
  });

  it('agrees with JSON.parse on generated and mutated JSON', () => {
    const mutated = fc
      .tuple(
        fc.json({ maxDepth: 3 }),
        fc.nat(),
        fc.constantFrom('', ',', ':', '"', '{', '}', '[', ']', '\\', '-', '0', 'e', '.', ' ', '\n', '\u0001', 'u'),
        fc.boolean(),
      )
      .map(([j, at, ins, del]) => {
        const k = j.length === 0 ? 0 : at % (j.length + 1);
        return j.slice(0, k) + ins + j.slice(del ? k + 1 : k);
      });
    const jsonish = fc.string({ unit: fc.constantFrom(...'{}[]":,0123456789-+.eE tfrunlsa\\/b\n'.split('')), maxLength: 24 });
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), mutated, jsonish, fc.string()), (s) => {
        expect(isJsonText(s)).toBe(parses(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('handles deep nesting without recursion', () => {
    expect(isJsonText('['.repeat(100_000) + ']'.repeat(100_000))).toBe(true);
    expect(isJsonText(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`)).toBe(true);
    expect(isJsonText('['.repeat(100_000))).toBe(false);
  });
});

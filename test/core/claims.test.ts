import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CLAIM_NAMES, HEADER_PARAM_NAMES, describeClaim, describeHeaderParam, isCataloguedClaim, isTimeClaim } from '../../src/core/claims';
import { formatDuration, formatRelative, formatTime } from '../../src/core/time-format';

describe('claims catalogue', () => {
  it('explains every catalogued name, and knows no other', () => {
    for (const name of CLAIM_NAMES) {
      expect(isCataloguedClaim(name), name).toBe(true);
      expect(describeClaim(name)?.meaning, name).toBeTruthy();
    }
    expect(isCataloguedClaim('my_app_custom_claim')).toBe(false);
    expect(isCataloguedClaim('__proto__')).toBe(false);
    expect(describeClaim('__proto__')).toBeUndefined();
  });

  it.each([
    ['iss', '4.1.1'],
    ['sub', '4.1.2'],
    ['aud', '4.1.3'],
    ['exp', '4.1.4'],
    ['nbf', '4.1.5'],
    ['iat', '4.1.6'],
    ['jti', '4.1.7'],
  ])('describes the registered claim %s with its RFC 7519 section', (name, section) => {
    const info = describeClaim(name);
    expect(info?.name).toBe(name);
    expect(info?.source).toBe(`RFC 7519 §${section}`);
    expect(info?.meaning.length).toBeGreaterThan(10);
  });

  it('covers the common OIDC, OAuth and vendor claims', () => {
    // Written out, not taken from CLAIM_NAMES: an independent list, so a claim dropped from the catalogue fails here.
    const expected = [
      'azp',
      'nonce',
      'at_hash',
      'c_hash',
      's_hash',
      'auth_time',
      'acr',
      'amr',
      'sid',
      'scope',
      'scp',
      'client_id',
      'cnf',
      'act',
      'may_act',
      'roles',
      'groups',
      'entitlements',
      'email',
      'email_verified',
      'name',
      'given_name',
      'family_name',
      'preferred_username',
      'picture',
      'locale',
      'zoneinfo',
      'phone_number',
      'address',
      'updated_at',
      'token_use',
      'typ',
      'tid',
      'oid',
      'upn',
      'realm_access',
      'resource_access',
      'events',
      'org_id',
    ];
    for (const name of expected) expect(describeClaim(name), name).toBeDefined();
  });

  it('names the defining document of each claim', () => {
    expect(describeClaim('auth_time')?.source).toContain('OpenID Connect Core 1.0 §2');
    expect(describeClaim('email')?.source).toContain('§5.1');
    expect(describeClaim('act')?.source).toContain('RFC 8693');
    expect(describeClaim('entitlements')?.source).toContain('RFC 9068');
    expect(describeClaim('cnf')?.source).toContain('RFC 7800');
    expect(describeClaim('token_use')?.source).toContain('Cognito');
    expect(describeClaim('realm_access')?.source).toContain('Keycloak');
    expect(describeClaim('tid')?.source).toContain('Microsoft');
  });

  it('gives every entry a meaning and a source', () => {
    for (const name of CLAIM_NAMES) {
      const info = describeClaim(name);
      expect(info?.meaning, name).toMatch(/\S/);
      expect(info?.source, name).toMatch(/\S/);
    }
    for (const name of HEADER_PARAM_NAMES) {
      const info = describeHeaderParam(name);
      expect(info?.meaning, name).toMatch(/\S/);
      expect(info?.source, name).toMatch(/\S/);
    }
  });

  it('covers the JOSE header parameters', () => {
    const expected = [
      'alg',
      'typ',
      'cty',
      'kid',
      'jku',
      'jwk',
      'x5u',
      'x5c',
      'x5t',
      'x5t#S256',
      'crit',
      'enc',
      'zip',
      'epk',
      'apu',
      'apv',
      'iv',
      'tag',
      'p2s',
      'p2c',
      'b64',
      'ppt',
      'url',
      'nonce',
    ];
    for (const name of expected) expect(describeHeaderParam(name), name).toBeDefined();
    expect(describeHeaderParam('alg')?.source).toContain('RFC 7515 §4.1.1');
    expect(describeHeaderParam('b64')?.source).toBe('RFC 7797 §3');
    expect(describeHeaderParam('p2c')?.source).toBe('RFC 7518 §4.8.1.2');
    // nonce is a claim (OIDC) and a header parameter (ACME), with different meanings.
    expect(describeHeaderParam('nonce')?.source).toContain('RFC 8555');
    expect(describeClaim('nonce')?.source).toContain('OpenID');
  });

  it('knows which claims are times', () => {
    for (const name of ['exp', 'nbf', 'iat', 'auth_time', 'updated_at']) expect(isTimeClaim(name), name).toBe(true);
    for (const name of ['sub', 'jti', 'aud', 'nonce', 'unknown', '']) expect(isTimeClaim(name), name).toBe(false);
    expect(describeClaim('exp')?.time).toBe(true);
    expect(describeClaim('sub')?.time).toBeUndefined();
  });

  it('answers undefined for unknown names, prototype names included', () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'EXP']) {
      expect(describeClaim(name), name).toBeUndefined();
      expect(describeHeaderParam(name), name).toBeUndefined();
      expect(isTimeClaim(name), name).toBe(false);
    }
    expect(describeClaim(undefined as unknown as string)).toBeUndefined();
    expect(describeClaim(42 as unknown as string)).toBeUndefined();
  });

  it('hands out copies, not the catalogue itself', () => {
    const info = describeClaim('iss')!;
    info.meaning = 'changed';
    expect(describeClaim('iss')?.meaning).not.toBe('changed');
  });
});

describe('formatTime', () => {
  const NOW = 1_700_000_000;

  it('gives UTC ISO and a local string', () => {
    const t = formatTime(0, NOW);
    expect(t.valid).toBe(true);
    expect(t.iso).toBe('1970-01-01T00:00:00.000Z');
    expect(t.local).toMatch(/19(69|70)/);
    expect(formatTime(NOW, NOW).iso).toBe('2023-11-14T22:13:20.000Z');
  });

  it('keeps fractional seconds', () => {
    expect(formatTime(1.5, NOW).iso).toBe('1970-01-01T00:00:01.500Z');
  });

  it.each([
    [0, 'just now'],
    [4, 'just now'],
    [-4, 'just now'],
    [5, 'in 5 s'],
    [45, 'in 45 s'],
    [-45, '45 s ago'],
    [60, 'in 1 min'],
    [300, 'in 5 min'],
    [299, 'in 5 min'],
    [-300, '5 min ago'],
    [3600, 'in 1 h'],
    [-3 * 3600, '3 h ago'],
    [86400, 'in 24 h'],
    [2 * 86400, 'in 2 days'],
    [-2 * 86400, '2 days ago'],
    [90 * 86400, 'in 90 days'],
    [365 * 86400, 'in 1 year'],
    [-3 * 365 * 86400, '3 years ago'],
  ])('reads %i s from now as %s', (delta, relative) => {
    expect(formatTime(NOW + delta, NOW).relative).toBe(relative);
    expect(formatRelative(delta)).toBe(relative);
  });

  it('moves to the next unit rather than show 60 of one', () => {
    expect(formatRelative(59.6 * 60)).toBe('in 1 h');
    expect(formatRelative(59.5)).toBe('in 1 min');
  });

  it('defaults to the current time', () => {
    expect(formatTime(Date.now() / 1000).relative).toBe('just now');
  });

  it('says so for values a Date cannot hold, without throwing', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 1e20, -1e20, '1700000000' as unknown as number]) {
      const t = formatTime(value, NOW);
      expect(t.valid).toBe(false);
      expect(t.iso).toBe('not a valid time');
    }
  });

  it('never throws on any number', () => {
    fc.assert(
      fc.property(fc.double(), fc.option(fc.double(), { nil: undefined }), (seconds, now) => {
        const t = formatTime(seconds, now);
        expect(typeof t.relative).toBe('string');
        expect(typeof t.local).toBe('string');
      }),
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [1, '1 s'],
    [59, '59 s'],
    [60, '1 min'],
    [90, '1 min 30 s'],
    [300, '5 min'],
    [3600, '1 h'],
    [3605, '1 h 5 s'],
    [86401, '1 day 1 s'],
    [5400, '1 h 30 min'],
    [86400, '1 day'],
    [90000, '1 day 1 h'],
    [2 * 86400 + 3 * 3600 + 59, '2 days 3 h'],
    [90 * 86400, '90 days'],
    [400 * 86400, '1 year 35 days'],
    [-5400, '-1 h 30 min'],
    [0.4, '0 s'],
    [59.6, '1 min'],
  ])('formats %d s as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('says an unknown time for what is not a finite number', () => {
    expect(formatDuration(Number.NaN)).toBe('an unknown time');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('an unknown time');
    expect(formatDuration('60' as unknown as number)).toBe('an unknown time');
  });

  it('groups digits of huge spans', () => {
    expect(formatDuration(8000 * 365 * 86400)).toBe('8,000 years');
  });
});

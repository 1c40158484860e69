import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MAX_COOKIE_HEADER_LENGTH, parseCookieHeader, parseSetCookieHeader, splitSetCookieLines } from '../../src/core/cookies';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('parseCookieHeader', () => {
  it('keeps every pair in order', () => {
    expect(parseCookieHeader('SID=31d4d96e407aad42; lang=en-US')).toEqual([
      { name: 'SID', value: '31d4d96e407aad42', rawValue: '31d4d96e407aad42' },
      { name: 'lang', value: 'en-US', rawValue: 'en-US' },
    ]);
  });

  it('keeps duplicates, which a record would hide', () => {
    const pairs = parseCookieHeader('token=old; theme=dark; token=new');
    expect(pairs.map((p) => [p.name, p.value])).toEqual([
      ['token', 'old'],
      ['theme', 'dark'],
      ['token', 'new'],
    ]);
  });

  it('finds a JWT value untouched', () => {
    const pairs = parseCookieHeader(`_ga=GA1.1.123; access_token=${JWT}; _gid=x`);
    expect(pairs.find((p) => p.name === 'access_token')?.value).toBe(JWT);
  });

  it('trims optional whitespace around names and values, tolerating missing spaces', () => {
    expect(parseCookieHeader(' a = 1 ;b=2;\tc=3\t').map((p) => [p.name, p.value])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });

  it('unquotes a DQUOTE-wrapped value and keeps the raw form', () => {
    expect(parseCookieHeader(`jwt="${JWT}"`)).toEqual([{ name: 'jwt', value: JWT, rawValue: `"${JWT}"` }]);
  });

  it('percent-decodes like the cookie package, leaving broken escapes alone', () => {
    const [a, b] = parseCookieHeader('a=hello%20world; b=100%');
    expect(a).toEqual({ name: 'a', value: 'hello world', rawValue: 'hello%20world' });
    expect(b?.value).toBe('100%');
  });

  it("keeps '=' inside a value (base64 padding, key=value payloads)", () => {
    expect(parseCookieHeader('session=YWJj==; pref=lang=en')).toEqual([
      { name: 'session', value: 'YWJj==', rawValue: 'YWJj==' },
      { name: 'pref', value: 'lang=en', rawValue: 'lang=en' },
    ]);
  });

  it('reports a nameless cookie with an empty name, as browsers store it', () => {
    expect(parseCookieHeader(`a=1; ${JWT}`)).toEqual([
      { name: 'a', value: '1', rawValue: '1' },
      { name: '', value: JWT, rawValue: JWT },
    ]);
  });

  it('skips empty segments and survives malformed headers', () => {
    expect(parseCookieHeader('')).toEqual([]);
    expect(parseCookieHeader(';;; ;')).toEqual([]);
    expect(parseCookieHeader('=')).toEqual([]);
    expect(parseCookieHeader('a=; =b').map((p) => [p.name, p.value])).toEqual([
      ['a', ''],
      ['', 'b'],
    ]);
    expect(parseCookieHeader(undefined as unknown as string)).toEqual([]);
    expect(parseCookieHeader(42 as unknown as string)).toEqual([]);
  });

  it('reads at most 64 KB, dropping the pair cut at the limit', () => {
    const filler = 'x'.repeat(100);
    const header = Array.from({ length: 1000 }, (_, i) => `c${i}=${filler}`).join('; ');
    expect(header.length).toBeGreaterThan(MAX_COOKIE_HEADER_LENGTH);
    const pairs = parseCookieHeader(header);
    expect(pairs.length).toBeGreaterThan(100);
    expect(pairs.every((p) => p.value === filler)).toBe(true);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const pairs = parseCookieHeader(text);
        expect(Array.isArray(pairs)).toBe(true);
        for (const p of pairs) expect(typeof p.value).toBe('string');
      }),
    );
  });
});

describe('parseSetCookieHeader', () => {
  it('reads the RFC 6265 §3.1 examples', () => {
    expect(parseSetCookieHeader('SID=31d4d96e407aad42; Path=/; Domain=example.com')).toMatchObject({
      name: 'SID',
      value: '31d4d96e407aad42',
      path: '/',
      domain: 'example.com',
      httpOnly: false,
      secure: false,
      partitioned: false,
      prefixValid: true,
    });
    expect(parseSetCookieHeader('SID=31d4d96e407aad42; Path=/; Secure; HttpOnly')).toMatchObject({
      httpOnly: true,
      secure: true,
    });
    const lang = parseSetCookieHeader('lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT');
    expect(lang.expires).toBe(Date.UTC(2021, 5, 9, 10, 18, 14));
    const removal = parseSetCookieHeader('lang=; Expires=Sun, 06 Nov 1994 08:49:37 GMT');
    expect(removal).toMatchObject({ name: 'lang', value: '', expires: Date.UTC(1994, 10, 6, 8, 49, 37) });
  });

  it('reads a Google-style header: dashed date, lower-case attributes, leading-dot domain, priority', () => {
    const info = parseSetCookieHeader(
      '__Secure-1PSIDTS=sidts-CjEBUFGoh; expires=Fri, 27-Mar-2026 10:00:00 GMT; path=/; domain=.google.com; Secure; HttpOnly; priority=high; SameSite=None; Partitioned',
    );
    expect(info).toMatchObject({
      name: '__Secure-1PSIDTS',
      value: 'sidts-CjEBUFGoh',
      path: '/',
      domain: '.google.com',
      secure: true,
      httpOnly: true,
      priority: 'high',
      sameSite: 'none',
      partitioned: true,
      prefix: '__Secure-',
      prefixValid: true,
      prefixProblems: [],
    });
    expect(info.expires).toBe(Date.UTC(2026, 2, 27, 10, 0, 0));
  });

  it('reads GitHub-style headers', () => {
    expect(
      parseSetCookieHeader(
        '__Host-user_session_same_site=abcDEF123; path=/; expires=Thu, 10 Dec 2026 22:53:00 GMT; secure; HttpOnly; SameSite=Strict',
      ),
    ).toMatchObject({ prefix: '__Host-', prefixValid: true, sameSite: 'strict', secure: true, httpOnly: true });
    const loggedIn = parseSetCookieHeader(
      'logged_in=no; domain=github.com; path=/; expires=Fri, 26 Nov 2027 22:53:00 GMT; secure; HttpOnly; SameSite=Lax',
    );
    expect(loggedIn).toMatchObject({ name: 'logged_in', value: 'no', domain: 'github.com', sameSite: 'lax' });
    expect(loggedIn.prefix).toBeUndefined();
    const gh = parseSetCookieHeader('_gh_sess=abc%2Fdef%3D%3D--123; path=/; secure; HttpOnly; SameSite=Lax');
    expect(gh.value).toBe('abc/def==--123');
    expect(gh.rawValue).toBe('abc%2Fdef%3D%3D--123');
  });

  it('reads a JWT value, quoted or not', () => {
    expect(parseSetCookieHeader(`access_token=${JWT}; Path=/; HttpOnly`).value).toBe(JWT);
    const quoted = parseSetCookieHeader(`id_token="${JWT}"; Secure`);
    expect(quoted.value).toBe(JWT);
    expect(quoted.rawValue).toBe(`"${JWT}"`);
  });

  it('normalises SameSite in any case and ignores unknown values', () => {
    const sameSite = (attr: string) => parseSetCookieHeader(`a=b; ${attr}`).sameSite;
    expect(sameSite('SameSite=Strict')).toBe('strict');
    expect(sameSite('samesite=STRICT')).toBe('strict');
    expect(sameSite('SameSite=Lax')).toBe('lax');
    expect(sameSite('SameSite=none')).toBe('none');
    expect(sameSite('SameSite = None')).toBe('none');
    // Browsers apply their default (Lax in Chrome) to a missing or unknown value: not a stated choice.
    expect(sameSite('SameSite')).toBeUndefined();
    expect(sameSite('SameSite=')).toBeUndefined();
    expect(sameSite('SameSite=Loose')).toBeUndefined();
    expect(sameSite('Path=/')).toBeUndefined();
  });

  it('reads Max-Age as seconds, negative included, and ignores non-numbers', () => {
    expect(parseSetCookieHeader('a=b; Max-Age=3600').maxAge).toBe(3600);
    expect(parseSetCookieHeader('a=b; max-age=0').maxAge).toBe(0);
    expect(parseSetCookieHeader('a=b; Max-Age=-1').maxAge).toBe(-1);
    expect(parseSetCookieHeader('a=b; Max-Age=soon').maxAge).toBeUndefined();
    expect(parseSetCookieHeader('a=b; Max-Age=1.5').maxAge).toBeUndefined();
  });

  it('ignores an unparseable Expires and an empty Domain', () => {
    const info = parseSetCookieHeader('a=b; Expires=someday; Domain=');
    expect(info.expires).toBeUndefined();
    expect(info.domain).toBeUndefined();
  });

  it('lets the last of repeated attributes win (RFC 6265 §5.3)', () => {
    expect(parseSetCookieHeader('a=b; Path=/one; Path=/two').path).toBe('/two');
    expect(parseSetCookieHeader('a=b; SameSite=None; SameSite=Lax').sameSite).toBe('lax');
  });

  describe('cookie prefixes (RFC 6265bis §4.1.3)', () => {
    it('accepts a __Host- cookie that is Secure, Path=/ and has no Domain', () => {
      expect(parseSetCookieHeader('__Host-SID=1; Secure; Path=/')).toMatchObject({
        prefix: '__Host-',
        prefixValid: true,
        prefixProblems: [],
      });
    });

    it.each([
      ['__Host-SID=1; Path=/', 'requires the Secure attribute'],
      ['__Host-SID=1; Secure; Path=/; Domain=example.com', 'forbids a Domain attribute'],
      ['__Host-SID=1; Secure', 'requires Path=/'],
      ['__Host-SID=1; Secure; Path=/app', 'requires Path=/'],
    ])('rejects %s', (header, problem) => {
      const info = parseSetCookieHeader(header);
      expect(info.prefix).toBe('__Host-');
      expect(info.prefixValid).toBe(false);
      expect(info.prefixProblems.join(' ')).toContain(problem);
    });

    it('lists every broken __Host- rule', () => {
      expect(parseSetCookieHeader('__Host-a=1; Domain=example.com').prefixProblems).toHaveLength(3);
    });

    it('requires Secure for __Secure-, and nothing else', () => {
      expect(parseSetCookieHeader('__Secure-ID=123; Secure; Domain=example.com; Path=/x')).toMatchObject({
        prefix: '__Secure-',
        prefixValid: true,
      });
      expect(parseSetCookieHeader('__Secure-ID=123; Domain=example.com')).toMatchObject({
        prefix: '__Secure-',
        prefixValid: false,
      });
    });

    it('matches prefixes case-insensitively, so odd casing cannot dodge the rules', () => {
      expect(parseSetCookieHeader('__HOST-SID=1; Path=/')).toMatchObject({ prefix: '__Host-', prefixValid: false });
      expect(parseSetCookieHeader('__secure-SID=1; Secure')).toMatchObject({ prefix: '__Secure-', prefixValid: true });
    });

    it('refuses a nameless cookie whose value carries a prefix', () => {
      expect(parseSetCookieHeader('__Host-SID; Secure; Path=/')).toMatchObject({
        name: '',
        prefix: '__Host-',
        prefixValid: false,
      });
    });

    it('reports no prefix for ordinary names, or a prefix that is not at the start', () => {
      expect(parseSetCookieHeader('SID=1')).toMatchObject({ prefixValid: true, prefixProblems: [] });
      expect(parseSetCookieHeader('SID=1').prefix).toBeUndefined();
      expect(parseSetCookieHeader('my__Host-SID=1').prefix).toBeUndefined();
    });
  });

  it('reads only the first line of a multi-line value', () => {
    const info = parseSetCookieHeader('a=1; Path=/\nb=2; HttpOnly; Secure');
    expect(info).toMatchObject({ name: 'a', value: '1', httpOnly: false, secure: false });
  });

  it('survives malformed input with a well-formed result', () => {
    for (const input of ['', ';;;', '=', '   ', 'noequals', '; HttpOnly', '=value; Secure', 'a=b;;; ;Secure;;']) {
      const info = parseSetCookieHeader(input);
      expect(typeof info.name).toBe('string');
      expect(typeof info.value).toBe('string');
      expect(typeof info.httpOnly).toBe('boolean');
    }
    expect(parseSetCookieHeader('; HttpOnly')).toMatchObject({ name: '', value: '', httpOnly: true });
    expect(parseSetCookieHeader('a=b;;; ;Secure;;').secure).toBe(true);
    expect(parseSetCookieHeader(null as unknown as string)).toMatchObject({ name: '', value: '', httpOnly: false });
  });

  it('bounds the input and says so', () => {
    const info = parseSetCookieHeader(`big=${'x'.repeat(MAX_COOKIE_HEADER_LENGTH + 10)}; HttpOnly`);
    expect(info.truncated).toBe(true);
    expect(info.name).toBe('big');
    expect(info.value.length).toBeLessThanOrEqual(MAX_COOKIE_HEADER_LENGTH);
    expect(parseSetCookieHeader('a=b').truncated).toBeUndefined();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const info = parseSetCookieHeader(text);
        expect(typeof info.prefixValid).toBe('boolean');
        expect(info.sameSite === undefined || ['strict', 'lax', 'none'].includes(info.sameSite)).toBe(true);
      }),
    );
  });

  it('never throws on attribute soup', () => {
    const attr = fc.constantFrom(
      'Secure',
      'HttpOnly',
      'Partitioned',
      'Path=/',
      'Path=',
      'Domain=example.com',
      'Domain=',
      'Max-Age=10',
      'Max-Age=x',
      'Expires=Wed, 09 Jun 2021 10:18:14 GMT',
      'Expires=',
      'SameSite=Lax',
      'SameSite=None',
      'SameSite',
      'Priority=High',
      'Priority=odd',
      '=',
      '',
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.array(attr, { maxLength: 8 }), (name, attrs) => {
        const info = parseSetCookieHeader([`${name}=v`, ...attrs].join('; '));
        expect(info.secure).toBe(attrs.includes('Secure'));
        expect(info.httpOnly).toBe(attrs.includes('HttpOnly'));
      }),
    );
  });
});

describe('splitSetCookieLines', () => {
  it('splits the values Firefox joins with newlines', () => {
    expect(splitSetCookieLines('a=1; Path=/\nb=2; HttpOnly\r\nc=3')).toEqual(['a=1; Path=/', 'b=2; HttpOnly', 'c=3']);
  });

  it('leaves the commas of Expires dates alone', () => {
    const header = 'a=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT\nb=2; Expires=Sun, 06 Nov 1994 08:49:37 GMT';
    const lines = splitSetCookieLines(header);
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => parseSetCookieHeader(l).name)).toEqual(['a', 'b']);
  });

  it('drops blank lines and trims', () => {
    expect(splitSetCookieLines('\n  a=1  \n\n\t\nb=2\n')).toEqual(['a=1', 'b=2']);
    expect(splitSetCookieLines('')).toEqual([]);
    expect(splitSetCookieLines(undefined as unknown as string)).toEqual([]);
  });

  it('returns a single header unchanged', () => {
    expect(splitSetCookieLines(`token=${JWT}; Path=/; Secure`)).toEqual([`token=${JWT}; Path=/; Secure`]);
  });
});

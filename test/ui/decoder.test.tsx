import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { SignJWT, UnsecuredJWT } from 'jose';
import { Decoder } from '../../src/ui/Decoder';
import { verifyToken } from '../../src/core';
import type { KeyInput } from '../../src/core/types';

afterEach(cleanup);

const secret = 'a long enough HMAC secret for component tests!!';
const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256' }) =>
  new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(new TextEncoder().encode(secret));

function paste(text: string) {
  fireEvent.input(screen.getByTestId('token-input'), { target: { value: text } });
}

describe('Decoder', () => {
  it('decodes as you paste, stripping Bearer, quotes and line breaks', async () => {
    render(<Decoder />);
    const token = await sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 });
    paste(`"Bearer ${token.slice(0, 30)}\n  ${token.slice(30)}"`);
    // The parts come from a chunk the decoder loads after its first paint.
    expect((await screen.findByTestId('decoded-header')).textContent).toContain('"HS256"');
    const payload = screen.getByTestId('decoded-payload').textContent!;
    expect(payload).toContain('"alice"');
    // Claims are explained and times read in words.
    expect(payload).toMatch(/Subject/i);
    expect(payload).toMatch(/in (59|60) min|in 1 h/);
  });

  it('shows the findings of the token', async () => {
    render(<Decoder />);
    paste(new UnsecuredJWT({ sub: 'mallory', password: 'hunter2' }).encode());
    await screen.findByTestId('decoded-payload');
    const ids = [...document.querySelectorAll('[data-finding-id]')].map((e) => e.getAttribute('data-finding-id'));
    expect(ids).toEqual(expect.arrayContaining(['alg-none', 'no-expiry', 'sensitive-data']));
  });

  it('says in plain words why a string is not a token, and shows no decoded parts', async () => {
    render(<Decoder />);
    paste('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0+.sig');
    const error = await screen.findByTestId('decode-error');
    expect(error.getAttribute('data-code')).toBe('invalid-base64url');
    expect(error.textContent).toMatch(/payload/i);
    expect(screen.queryByTestId('decoded-header')).toBeNull();
  });

  it('renders hostile claims as inert text', async () => {
    render(<Decoder />);
    paste(await sign({ name: '<img src=x onerror="globalThis.pwned=1">', html: '<script>globalThis.pwned=2</script>' }));
    await screen.findByTestId('decoded-payload');
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('script')).toBeNull();
    expect(screen.getByTestId('decoded-payload').textContent).toContain('<img src=x onerror=');
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('verifies with the secret typed inline', async () => {
    const verify = (token: string, key?: KeyInput) =>
      key ? verifyToken(token, key) : Promise.resolve({ status: 'no-matching-key' as const });
    render(<Decoder verify={verify} />);
    paste(await sign({ sub: 'alice' }));
    const verdict = () => screen.getByTestId('verification').getAttribute('data-status');
    await waitFor(() => expect(verdict()).toBe('no-matching-key'));
    fireEvent.input(screen.getByTestId('inline-key'), { target: { value: secret } });
    await waitFor(() => expect(verdict()).toBe('valid'));
    fireEvent.input(screen.getByTestId('inline-key'), { target: { value: 'wrong' } });
    await waitFor(() => expect(verdict()).toBe('invalid'));
  });
});

describe('Decoder verdicts', () => {
  it("never shows the previous token's verdict while the next one is checked", async () => {
    let release: (v: { status: 'valid' }) => void = () => {};
    const verify = (token: string) =>
      token.endsWith('slow') ? new Promise<{ status: 'valid' }>((r) => (release = r)) : Promise.resolve({ status: 'valid' as const });
    render(<Decoder verify={verify} />);
    paste(await sign({ sub: 'first' }));
    await waitFor(() => expect(screen.getByTestId('verification').getAttribute('data-status')).toBe('valid'));
    const second = await sign({ sub: 'second' });
    paste(`${second.slice(0, second.lastIndexOf('.') + 1)}slow`);
    await waitFor(() => expect(screen.getByTestId('verification').getAttribute('data-status')).toBe('pending'));
    release({ status: 'valid' });
  });
});

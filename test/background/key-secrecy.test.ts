import { describe, expect, it } from 'vitest';
import { exportJWK, exportPKCS8, generateKeyPair, SignJWT } from 'jose';
import { STATE_KEY } from '../../src/background/key-store';
import { workerHarness } from './worker-harness';

// keys/list answers every extension page: it must not carry a secret or a private key in clear. A secret is
// read only through keys/reveal, one key at a time; a private key is never stored, only its public half.
describe('secrets and private keys in the worker', () => {
  it('lists secrets and oct JWKs redacted, and reveals one on request', async () => {
    const w = workerHarness();
    const secret = await w.ask({
      type: 'keys/add',
      key: { label: 'dev', input: { kind: 'secret', value: 'hunter2-hunter2', encoding: 'utf8' } },
    });
    const oct = await w.ask({
      type: 'keys/add',
      key: { label: 'oct', input: { kind: 'jwk', value: '{"kty":"oct","k":"c2VjcmV0LXNlY3JldA"}' } },
    });
    const octSet = await w.ask({
      type: 'keys/add',
      key: { label: 'oct set', input: { kind: 'jwks', value: '{"keys":[{"kty":"oct","k":"c2VjcmV0LXNlY3JldA"}]}' } },
    });
    const listed = JSON.stringify(await w.ask({ type: 'keys/list' }));
    expect(listed).not.toContain('hunter2');
    expect(listed).not.toContain('c2VjcmV0LXNlY3JldA');
    const rows = await w.ask({ type: 'keys/list' });
    expect(rows.filter((k) => k.redacted).map((k) => k.id)).toEqual([secret.id, oct.id, octSet.id]);
    expect(await w.ask({ type: 'keys/reveal', id: secret.id })).toEqual({ value: 'hunter2-hunter2' });
    expect(await w.ask({ type: 'keys/reveal', id: oct.id })).toEqual({ value: '{"kty":"oct","k":"c2VjcmV0LXNlY3JldA"}' });
  });

  it('renaming a redacted key keeps its secret', async () => {
    const w = workerHarness();
    await w.ask({ type: 'keys/add', key: { label: 'dev', input: { kind: 'secret', value: 'hunter2-hunter2' } } });
    const [row] = await w.ask({ type: 'keys/list' });
    await w.ask({ type: 'keys/update', key: { ...row!, label: 'renamed' } });
    const token = await new SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('hunter2-hunter2'));
    expect((await w.ask({ type: 'verify', token })).status).toBe('valid');
    expect((await w.ask({ type: 'keys/list' }))[0]!.label).toBe('renamed');
  });

  it.each(['RS256', 'ES256', 'EdDSA'])('stores only the public half of a %s private PEM, says so, and still verifies', async (alg) => {
    const w = workerHarness();
    const pair = await generateKeyPair(alg, { extractable: true });
    const pem = await exportPKCS8(pair.privateKey);
    const added = await w.ask({ type: 'keys/add', key: { label: 'pem', input: { kind: 'pem', value: pem } } });
    expect(added.notice).toMatch(/public/i);
    const onDisk = JSON.stringify(w.local.data[STATE_KEY]);
    expect(onDisk).not.toContain('PRIVATE KEY');
    expect(onDisk).not.toContain(pem.split('\n')[2]);
    expect(onDisk).toContain('kty');
    const token = await new SignJWT({ sub: 'a' }).setProtectedHeader({ alg }).sign(pair.privateKey);
    expect((await w.ask({ type: 'verify', token })).status).toBe('valid');
  });

  it('stores a private JWK (with d) and a JWKS of them without the private members', async () => {
    const w = workerHarness();
    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(pair.privateKey)), kid: 'mine' };
    const added = await w.ask({ type: 'keys/add', key: { label: 'jwk', input: { kind: 'jwk', value: JSON.stringify(jwk) } } });
    expect(added.notice).toMatch(/public/i);
    await w.ask({ type: 'keys/add', key: { label: 'jwks', input: { kind: 'jwks', value: JSON.stringify({ keys: [jwk] }) } } });
    const onDisk = JSON.stringify(w.local.data[STATE_KEY]);
    expect(onDisk).not.toContain(jwk.d!);
    expect(onDisk).not.toMatch(/\\"d\\"/);
    const token = await new SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'ES256', kid: 'mine' }).sign(pair.privateKey);
    expect((await w.ask({ type: 'verify', token })).status).toBe('valid');
  });

  it('reveal names an unknown key as gone, and public keys are listed in full', async () => {
    const w = workerHarness();
    const pair = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = JSON.stringify(await exportJWK(pair.publicKey));
    await w.ask({ type: 'keys/add', key: { label: 'pub', input: { kind: 'jwk', value: publicJwk } } });
    const [row] = await w.ask({ type: 'keys/list' });
    expect(row!.input.value).toBe(publicJwk);
    expect(row!.redacted).toBeFalsy();
    await expect(w.ask({ type: 'keys/reveal', id: 'nope' })).rejects.toThrow(/no longer/);
  });
});

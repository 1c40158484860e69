import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/preact';
import { moduleLoader, useModule } from '../../src/ui/use-module';

afterEach(cleanup);

describe('moduleLoader', () => {
  it('loads once, shares the result, and keeps it', async () => {
    let calls = 0;
    const loader = moduleLoader(async () => ({ n: ++calls }));
    expect(loader.value).toBeUndefined();
    const [a, b] = await Promise.all([loader.get(), loader.get()]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    expect(loader.value).toBe(a);
  });

  it('tries again after a failed load instead of replaying the failure', async () => {
    let calls = 0;
    const loader = moduleLoader(async () => {
      calls++;
      if (calls === 1) throw new Error('chunk missing');
      return { ok: true };
    });
    await expect(loader.get()).rejects.toThrow('chunk missing');
    await expect(loader.get()).resolves.toEqual({ ok: true });
    expect(calls).toBe(2);
  });
});

describe('useModule', () => {
  it('renders without the module, then with it', async () => {
    let release!: (m: { Label: () => preact.JSX.Element }) => void;
    const loader = moduleLoader(() => new Promise<{ Label: () => preact.JSX.Element }>((r) => (release = r)));
    function View() {
      const m = useModule(loader);
      return m ? <m.Label /> : <p data-testid="waiting">waiting</p>;
    }
    render(<View />);
    expect(screen.getByTestId('waiting')).toBeTruthy();
    // The load starts after the first render (an effect), not before it.
    await new Promise((r) => setTimeout(r, 0));
    release({ Label: () => <p data-testid="loaded">loaded</p> });
    expect((await screen.findByTestId('loaded')).textContent).toBe('loaded');
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { VerificationView } from '../../src/ui/VerificationView';
import type { KeyInput, Verification } from '../../src/core/types';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

// Every inline key the popup hands the worker is imported and kept in its import cache: a key typed one
// character at a time must reach it once, when the user pauses or presses Verify — not once per keystroke.
function setUp() {
  const calls: (KeyInput | undefined)[] = [];
  const verify = async (_token: string, key?: KeyInput): Promise<Verification> => {
    calls.push(key);
    return { status: key ? 'invalid' : 'no-matching-key' };
  };
  render(<VerificationView token="eyJhbGciOiJIUzI1NiJ9.e30.c2ln" verify={verify} />);
  const inlineCalls = () => calls.filter((k) => k !== undefined).map((k) => (k as { value: string }).value);
  const typeKey = (text: string) => {
    for (let i = 1; i <= text.length; i++) fireEvent.input(screen.getByTestId('inline-key'), { target: { value: text.slice(0, i) } });
  };
  return { inlineCalls, typeKey };
}

describe('the inline key reaches the worker once the user pauses', () => {
  it('one import after a pause, none per keystroke', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { inlineCalls, typeKey } = setUp();
    typeKey('my-hmac-secret');
    await act(async () => {});
    expect(inlineCalls()).toEqual([]);
    await act(async () => {
      vi.advanceTimersByTime(399);
    });
    expect(inlineCalls()).toEqual([]);
    await act(async () => {
      vi.advanceTimersByTime(1);
    });
    expect(inlineCalls()).toEqual(['my-hmac-secret']);
  });

  it('at once when the user presses Verify', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { inlineCalls, typeKey } = setUp();
    typeKey('typed-then-verified');
    await act(async () => {
      fireEvent.click(screen.getByTestId('inline-key-verify'));
    });
    expect(inlineCalls()).toEqual(['typed-then-verified']);
    await act(async () => {
      vi.advanceTimersByTime(1000);
    });
    expect(inlineCalls()).toEqual(['typed-then-verified']);
  });
});

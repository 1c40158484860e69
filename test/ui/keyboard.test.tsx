// Keyboard alone: Escape closes what a keyboard opened (the panel's Add-a-key form, a stored key's edit form),
// and the detail tabs follow the tabs pattern. The list's own keys are test/ui/panel.test.tsx's.
import { afterEach, describe, expect, it, vi } from 'vitest';

// webextension-polyfill refuses to load outside an extension; nothing here talks to the worker.
vi.hoisted(() => {
  const extension = { runtime: { id: 'component-test' } };
  Object.assign(globalThis, { chrome: extension, browser: extension });
});
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { AddKeyForm } from '../../src/devtools/panel/view/AddKeyForm';
import { KeyRow } from '../../src/options/KeyRow';
import type { StoredKey } from '../../src/messages';

afterEach(cleanup);

describe('Escape closes what was opened', () => {
  it("the panel's Add-a-key form asks to be closed", () => {
    const onCancel = vi.fn();
    render(<AddKeyForm issuer="https://issuer.example" onAdded={() => {}} onCancel={onCancel} />);
    fireEvent.keyDown(screen.getByTestId('add-key-value'), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(screen.getByTestId('add-key-value'), { key: 'a' });
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it("a stored key's edit form closes, and its button says whether it is open", () => {
    const key: StoredKey = { id: 'k1', label: 'a key', input: { kind: 'jwk', value: '{"kty":"oct"}' } } as StoredKey;
    render(
      <KeyRow storedKey={key} status={undefined} onRefresh={() => {}} onDelete={() => {}} onUpdate={() => {}} onReveal={async () => ''} />,
    );
    const edit = screen.getByRole('button', { name: 'Edit' });
    expect(edit.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(edit);
    const label = screen.getByRole('textbox', { name: /Label/ });
    expect(screen.getByRole('button', { name: 'Cancel' }).getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(label, { key: 'Escape' });
    expect(screen.queryByRole('textbox', { name: /Label/ })).toBeNull();
  });
});

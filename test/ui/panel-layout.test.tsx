// The divider between the token list and the detail in a wide panel: keyboard-operable and remembered
// (src/devtools/panel/view/Divider.tsx, use-list-width.ts). Pointer drags are the end-to-end test's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { Divider, MAX_LIST_PERCENT, MIN_LIST_PERCENT } from '../../src/devtools/panel/view/Divider';
import { useListWidth } from '../../src/devtools/panel/view/use-list-width';

function Split() {
  const [percent, setPercent] = useListWidth();
  return <Divider percent={percent} onChange={setPercent} />;
}

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('the list / detail divider', () => {
  it('is a focusable separator with a value, moved by the arrow keys, Home and End, within bounds', () => {
    render(<Split />);
    const divider = screen.getByRole('separator', { name: 'Resize the token list' });
    expect(divider.getAttribute('tabindex')).toBe('0');
    expect(divider.getAttribute('aria-valuenow')).toBe('42');
    fireEvent.keyDown(divider, { key: 'ArrowRight' });
    expect(divider.getAttribute('aria-valuenow')).toBe('47');
    fireEvent.keyDown(divider, { key: 'ArrowLeft' });
    fireEvent.keyDown(divider, { key: 'ArrowLeft' });
    expect(divider.getAttribute('aria-valuenow')).toBe('37');
    fireEvent.keyDown(divider, { key: 'End' });
    expect(divider.getAttribute('aria-valuenow')).toBe(String(MAX_LIST_PERCENT));
    fireEvent.keyDown(divider, { key: 'ArrowRight' });
    expect(divider.getAttribute('aria-valuenow')).toBe(String(MAX_LIST_PERCENT));
    fireEvent.keyDown(divider, { key: 'Home' });
    expect(divider.getAttribute('aria-valuenow')).toBe(String(MIN_LIST_PERCENT));
  });

  it('remembers its position for the next opening of the panel', () => {
    render(<Split />);
    fireEvent.keyDown(screen.getByRole('separator'), { key: 'ArrowRight' });
    cleanup();
    render(<Split />);
    expect(screen.getByRole('separator').getAttribute('aria-valuenow')).toBe('47');
  });

  it('ignores a stored value it did not write', () => {
    localStorage.setItem('jwt-inspector.list-width', '"wide"');
    render(<Split />);
    expect(screen.getByRole('separator').getAttribute('aria-valuenow')).toBe('42');
    cleanup();
    localStorage.setItem('jwt-inspector.list-width', '99');
    render(<Split />);
    expect(screen.getByRole('separator').getAttribute('aria-valuenow')).toBe(String(MAX_LIST_PERCENT));
  });
});

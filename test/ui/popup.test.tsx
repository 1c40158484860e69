// The popup's buttons with its browser actions recorded instead of run: tabs cannot be opened here. The real
// hand-over to a tab is test/e2e/chromium/decoder-handover.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { Popup, type PopupActions } from '../../src/popup/Popup';
import type { Verification } from '../../src/core/types';

afterEach(cleanup);

function recordingActions() {
  const opened: string[] = [];
  const actions: PopupActions = {
    openDecoderTab: async (token: string) => void opened.push(token),
    openKeys: async () => {},
    takeHandedOverToken: async () => undefined,
  };
  return { opened, load: () => Promise.resolve(actions) };
}

const neverVerified = () => new Promise<Verification>(() => {});
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0eXBlZCJ9.c2ln';

describe('Popup: Open in a tab', () => {
  it('takes the token typed into the decoder box along', async () => {
    const actions = recordingActions();
    render(<Popup fullPage={false} actions={actions.load} verify={neverVerified} />);
    fireEvent.input(screen.getByTestId('token-input'), { target: { value: TOKEN } });
    fireEvent.click(screen.getByTestId('open-in-tab'));
    await waitFor(() => expect(actions.opened).toEqual([TOKEN]));
  });

  it('takes the latest text: typed over a pasted token, then cleared', async () => {
    const actions = recordingActions();
    render(<Popup fullPage={false} actions={actions.load} verify={neverVerified} />);
    fireEvent.input(screen.getByTestId('token-input'), { target: { value: `${TOKEN}x` } });
    fireEvent.input(screen.getByTestId('token-input'), { target: { value: TOKEN } });
    fireEvent.click(screen.getByTestId('open-in-tab'));
    await waitFor(() => expect(actions.opened).toEqual([TOKEN]));
    fireEvent.input(screen.getByTestId('token-input'), { target: { value: '' } });
    fireEvent.click(screen.getByTestId('open-in-tab'));
    await waitFor(() => expect(actions.opened).toEqual([TOKEN, '']));
  });

  it('has no such button in the tab itself', () => {
    render(<Popup fullPage={true} actions={recordingActions().load} verify={neverVerified} />);
    expect(screen.queryByTestId('open-in-tab')).toBeNull();
  });
});

// The workbench where there is no captured request to replay (the popup and its decoder tab): edit, sign,
// presets. Its own chunk, loaded on the user's click (src/popup/Popup.tsx).
import { useMemo } from 'preact/hooks';
import { ask } from '../worker-client';
import { Workbench } from './Workbench';
import { WorkbenchSession } from './workbench-session';

export function StandaloneWorkbench({ token }: { token: string }) {
  // The box takes what people paste (a Bearer prefix, line breaks): the token is what is left.
  const session = useMemo(() => new WorkbenchSession(token.replace(/^\s*Bearer\s+/i, '').replace(/\s+/g, ''), ask), [token]);
  return <Workbench session={session} ask={ask} />;
}

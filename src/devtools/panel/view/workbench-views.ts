// The workbench in the panel's detail: loaded only when a token's detail opens (TokenDetail.tsx), so
// neither the editor nor the replay code is part of the panel's first paint (README, "Performance").
import type { DevtoolsApi } from '../devtools-api';
import { Replayer } from '../replay/replayer';
import { ask } from '../../../ui/worker-client';
import { WorkbenchSession } from '../../../ui/workbench/workbench-session';

export { Workbench } from '../../../ui/workbench/Workbench';
export { ReplayControls } from './ReplayControls';
export { ask };

export function createSession(token: string, weakSecret: string | undefined): WorkbenchSession {
  return new WorkbenchSession(token, ask, weakSecret);
}

const replayers = new WeakMap<object, Replayer>();

/** One replayer per DevTools connection: it remembers the requests it found in the log. */
export function replayerFor(devtools: Pick<DevtoolsApi, 'getHAR' | 'getContent' | 'eval'>): Replayer {
  let r = replayers.get(devtools);
  if (!r) replayers.set(devtools, (r = new Replayer(devtools)));
  return r;
}

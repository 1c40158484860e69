// What the panel shows only once the user looks at a token or a tab: loaded after the first paint, so the
// list paints from a small set of files (the bench's panel bundle row counts what loads before first paint).
export { TokenDetail } from './TokenDetail';
export { Posture } from './Posture';
export { Timeline } from './Timeline';
export { Flows } from './Flows';
export { Divider } from './Divider';
export { moveTab } from './tab-keys';

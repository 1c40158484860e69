/** The detail pane's tabs, in their order on screen. */
export type Tab = 'details' | 'posture' | 'timeline' | 'flows';
export const TABS: readonly Tab[] = ['details', 'posture', 'timeline', 'flows'];

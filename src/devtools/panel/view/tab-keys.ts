// The detail tabs' keys (the ARIA tabs pattern): loaded with the detail views, after first paint.
import { TABS, type Tab } from './tabs';

export function moveTab(e: KeyboardEvent, current: Tab, setTab: (tab: Tab) => void): void {
  const i = TABS.indexOf(current);
  const next =
    e.key === 'ArrowRight'
      ? TABS[(i + 1) % TABS.length]
      : e.key === 'ArrowLeft'
        ? TABS[(i + TABS.length - 1) % TABS.length]
        : e.key === 'Home'
          ? TABS[0]
          : e.key === 'End'
            ? TABS[TABS.length - 1]
            : undefined;
  if (!next) return;
  e.preventDefault();
  setTab(next);
  const tablist = e.currentTarget as HTMLElement;
  // Focus follows the selection, once the new tab is rendered selected.
  queueMicrotask(() => (tablist.querySelector(`[data-testid=tab-${next}]`) as HTMLElement | null)?.focus());
}

import { useState } from 'preact/hooks';

/** Bounds of the list's share of a wide panel, in percent: neither side can be dragged out of sight. */
export const MIN_LIST_PERCENT = 15;
export const MAX_LIST_PERCENT = 85;

export function clampListPercent(value: number): number {
  return Math.min(MAX_LIST_PERCENT, Math.max(MIN_LIST_PERCENT, Math.round(value)));
}

// The panel's own localStorage: a layout preference of this DevTools panel, like DevTools' own splitters;
// nothing the worker or the other pages need.
const STORAGE_KEY = 'jwt-inspector.list-width';
const DEFAULT_PERCENT = 42;

function stored(): number {
  try {
    const value = Number(localStorage.getItem(STORAGE_KEY));
    return Number.isFinite(value) && value > 0 ? clampListPercent(value) : DEFAULT_PERCENT;
  } catch {
    return DEFAULT_PERCENT;
  }
}

/** The token list's share of a wide panel in percent, remembered across openings of the panel. */
export function useListWidth(): [number, (percent: number) => void] {
  const [percent, setPercent] = useState(stored);
  return [
    percent,
    (next) => {
      setPercent(next);
      try {
        localStorage.setItem(STORAGE_KEY, String(next));
      } catch {
        // Storage refused (quota, policy): the width holds for this session only.
      }
    },
  ];
}

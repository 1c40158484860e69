// @tanstack/virtual-core (no framework inside) bound to Preact hooks, the way its React adapter does it.
import { useEffect, useLayoutEffect, useReducer, useState } from 'preact/hooks';
import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualItem,
  Virtualizer,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';

export type VirtualizerHookOptions = Pick<VirtualizerOptions<HTMLElement, HTMLElement>, 'count' | 'getScrollElement' | 'estimateSize'> &
  Partial<Pick<VirtualizerOptions<HTMLElement, HTMLElement>, 'overscan' | 'getItemKey' | 'initialRect'>>;

/** What the list reads of a virtualizer: the real one, or firstRows before it has loaded. */
export interface ListVirtualizer {
  getTotalSize(): number;
  getVirtualItems(): readonly Pick<VirtualItem, 'index' | 'key' | 'start'>[];
  scrollToIndex(index: number): void;
}

export function useVirtualizer(options: VirtualizerHookOptions): Virtualizer<HTMLElement, HTMLElement> {
  const rerender = useReducer((n: number) => n + 1, 0)[1];
  const resolved: VirtualizerOptions<HTMLElement, HTMLElement> = {
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    ...options,
    onChange: () => rerender(undefined),
  };
  const [instance] = useState(() => new Virtualizer<HTMLElement, HTMLElement>(resolved));
  instance.setOptions(resolved);
  useEffect(() => instance._didMount(), []);
  useLayoutEffect(() => instance._willUpdate());
  return instance;
}

// @tanstack/virtual-core (no framework inside) bound to Preact hooks, the way its React adapter does it.
import { useEffect, useLayoutEffect, useReducer, useState } from 'preact/hooks';
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualizerOptions } from '@tanstack/virtual-core';

type Options = Pick<VirtualizerOptions<HTMLElement, HTMLElement>, 'count' | 'getScrollElement' | 'estimateSize'> &
  Partial<Pick<VirtualizerOptions<HTMLElement, HTMLElement>, 'overscan' | 'getItemKey' | 'initialRect'>>;

export function useVirtualizer(options: Options): Virtualizer<HTMLElement, HTMLElement> {
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

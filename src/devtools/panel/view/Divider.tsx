import { useRef } from 'preact/hooks';
import { t } from '../../../ui/i18n';
import { clampListPercent, MAX_LIST_PERCENT, MIN_LIST_PERCENT } from './use-list-width';

export { MAX_LIST_PERCENT, MIN_LIST_PERCENT };

const KEY_STEP = 5;

/**
 * The divider between the token list and the detail in a wide panel, as in DevTools' Network panel (loaded
 * with the detail views, after first paint; the list's width itself is set before): dragged
 * with the pointer, or moved with the arrow keys, Home and End once focused (the window splitter pattern).
 */
export function Divider({ percent, onChange }: { percent: number; onChange(percent: number): void }) {
  const dragging = useRef(false);

  function fromPointer(e: PointerEvent) {
    const split = (e.currentTarget as HTMLElement).parentElement;
    if (!split) return;
    const box = split.getBoundingClientRect();
    if (box.width > 0) onChange(clampListPercent(((e.clientX - box.left) / box.width) * 100));
  }

  function onKeyDown(e: KeyboardEvent) {
    const next =
      e.key === 'ArrowLeft'
        ? percent - KEY_STEP
        : e.key === 'ArrowRight'
          ? percent + KEY_STEP
          : e.key === 'Home'
            ? MIN_LIST_PERCENT
            : e.key === 'End'
              ? MAX_LIST_PERCENT
              : undefined;
    if (next === undefined) return;
    e.preventDefault();
    onChange(clampListPercent(next));
  }

  return (
    // A focusable separator is the ARIA window splitter: an interactive widget with a value.
    // biome-ignore lint/a11y/useSemanticElements: <hr> cannot take focus or pointer drags
    <div
      class="divider"
      role="separator"
      tabIndex={0}
      aria-orientation="vertical"
      aria-label={t('panel_divider')}
      aria-valuenow={percent}
      aria-valuemin={MIN_LIST_PERCENT}
      aria-valuemax={MAX_LIST_PERCENT}
      data-testid="divider"
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        dragging.current = true;
        try {
          // Moves keep coming to the divider while the pointer is outside it (a fast drag).
          (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        } catch {
          // A pointer the browser no longer tracks: the drag works while it stays over the divider.
        }
      }}
      onPointerMove={(e) => dragging.current && fromPointer(e)}
      onPointerUp={() => (dragging.current = false)}
      onPointerCancel={() => (dragging.current = false)}
    />
  );
}

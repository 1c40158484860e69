import { useRef } from 'preact/hooks';
import type { TokenRecord } from '../../model/token-record';
import { useVirtualizer } from '../../../ui/use-virtualizer';
import { VisibleText } from '../../../ui/VisibleText';
import { expiryText, type RecordSummary } from './record-summary';

export const ROW_HEIGHT = 46;

interface Props {
  rows: readonly TokenRecord[];
  summaryOf(record: TokenRecord): RecordSummary;
  selected: string | undefined;
  onSelect(token: string): void;
  nowSeconds: number;
}

const STATUS_LABEL: Record<string, string> = {
  valid: 'verified',
  invalid: 'INVALID',
  'no-matching-key': 'unverified',
  unsupported: 'n/a',
  error: 'error',
};

/** Only the rows in view are in the DOM, so 10,000 tokens cost what a screenful does. */
export function TokenList({ rows, summaryOf, selected, onSelect, nowSeconds }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => rows[i]?.token ?? i,
    initialRect: { width: 400, height: 800 },
  });
  const selectedIndex = selected === undefined ? -1 : rows.findIndex((r) => r.token === selected);

  function onKeyDown(e: KeyboardEvent) {
    if (!rows.length) return;
    let next = selectedIndex;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, selectedIndex + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, selectedIndex - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if (e.key === 'Enter' && selectedIndex < 0) next = 0;
    else return;
    e.preventDefault();
    onSelect(rows[next]!.token);
    virtualizer.scrollToIndex(next);
  }

  return (
    <div
      class="token-list"
      ref={scroller}
      tabIndex={0}
      role="listbox"
      aria-label="Tokens"
      aria-activedescendant={selectedIndex >= 0 ? `row-${selectedIndex}` : undefined}
      onKeyDown={onKeyDown}
      data-testid="token-list"
    >
      <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const record = rows[item.index]!;
          const s = summaryOf(record);
          const status = record.verification?.status;
          return (
            // The listbox pattern with aria-activedescendant: the list holds focus and handles the keys
            // (arrows, Enter); its options are not focusable themselves, and a click selects.
            // biome-ignore lint/a11y/useFocusableInteractive: see above
            // biome-ignore lint/a11y/useKeyWithClickEvents: see above
            <div
              key={item.key}
              id={`row-${item.index}`}
              role="option"
              aria-selected={record.token === selected}
              class={`token-row${record.token === selected ? ' selected' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` }}
              data-testid="token-row"
              data-token={record.token}
              onClick={() => onSelect(record.token)}
            >
              <div class="row-line">
                <span class={`role role-${s.role}`}>{s.role}</span>
                <span class="alg">{s.alg}</span>
                <span class="who" title={`${s.issuer} ${s.subject}`}>
                  <VisibleText text={s.issuer || '(no iss)'} limit={120} /> · <VisibleText text={s.subject || '(no sub)'} limit={120} />
                </span>
                <span class={`verify status-${status ?? 'pending'}`} data-status={status ?? 'pending'}>
                  {status ? STATUS_LABEL[status] : '…'}
                </span>
              </div>
              <div class="row-line muted">
                <span>{expiryText(s.exp, nowSeconds)}</span>
                {s.worst && <span class={`worst sev-${s.worst.severity}`}>{s.worst.title}</span>}
                <span class="count">{record.sightings.length} seen</span>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

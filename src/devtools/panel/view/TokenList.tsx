import { useRef } from 'preact/hooks';
import type { TokenRecord } from '../../model/token-record';
import type { ListVirtualizer, VirtualizerHookOptions } from '../../../ui/use-virtualizer';
import { moduleLoader, useModule } from '../../../ui/use-module';
import { VisibleText } from '../../../ui/VisibleText';
import { expiryText, type RecordSummary } from './record-summary';
import { keyPart, t } from '../../../ui/i18n';
import { findingText, severityText } from '../../../ui/finding-text';

export const ROW_HEIGHT = 46;

interface Props {
  rows: readonly TokenRecord[];
  summaryOf(record: TokenRecord): RecordSummary;
  selected: string | undefined;
  onSelect(token: string): void;
  nowSeconds: number;
}

// The virtualizer (@tanstack/virtual-core, about a third of the panel's own code) comes after the first paint:
// the list is empty then, or nearly. Until it has loaded, firstRows stands in; the list is mounted again
// when it arrives, because the two hooks use different hooks inside.
const virtualizerModule = moduleLoader(() => import('../../../ui/use-virtualizer'));

/** Rows shown before the virtualizer has loaded: a screenful, from the top. */
const FIRST_PAINT_ROWS = 40;

function firstRows(options: VirtualizerHookOptions): ListVirtualizer {
  const shown = Math.min(options.count, FIRST_PAINT_ROWS);
  return {
    getTotalSize: () => options.count * ROW_HEIGHT,
    getVirtualItems: () =>
      Array.from({ length: shown }, (_, index) => ({
        index,
        key: options.getItemKey?.(index) ?? index,
        start: index * ROW_HEIGHT,
      })),
    scrollToIndex: () => {},
  };
}

/** Only the rows in view are in the DOM, so 10,000 tokens cost what a screenful does. */
export function TokenList(props: Props) {
  const loaded = useModule(virtualizerModule);
  return <Rows key={loaded ? 'virtual' : 'first'} {...props} useList={loaded ? loaded.useVirtualizer : firstRows} />;
}

function Rows({
  rows,
  summaryOf,
  selected,
  onSelect,
  nowSeconds,
  useList,
}: Props & { useList(options: VirtualizerHookOptions): ListVirtualizer }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useList({
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
      aria-label={t('panel_token_list')}
      aria-activedescendant={selectedIndex >= 0 ? `row-${selectedIndex}` : undefined}
      onKeyDown={onKeyDown}
      data-testid="token-list"
    >
      <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const record = rows[item.index]!;
          const s = summaryOf(record);
          const status = record.verification?.status;
          // Each worded once per row: the tooltip and the visible line say the same.
          const expiry = expiryText(s.exp, nowSeconds);
          const worstSeverity = s.worst && severityText(s.worst.severity);
          const worstTitle = s.worst && findingText(s.worst.id, 'title');
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
              title={t(
                'panel_row_label',
                t(`role_${keyPart(s.role)}_token`),
                s.issuer.slice(0, 120) || t('panel_no_iss'),
                expiry,
                t(`verification_${keyPart(status ?? 'pending')}`),
                s.worst ? `${worstSeverity} — ${worstTitle}` : t('panel_row_no_finding'),
              )}
              onClick={() => onSelect(record.token)}
            >
              <div class="row-line">
                <span class={`role role-${s.role}`}>{t(`role_${keyPart(s.role)}`)}</span>
                <span class="alg">{s.alg}</span>
                <span class="who" title={`${s.issuer} ${s.subject}`}>
                  <VisibleText text={s.issuer || t('panel_no_iss')} limit={120} /> ·{' '}
                  <VisibleText text={s.subject || t('panel_no_sub')} limit={120} />
                </span>
                <span class={`verify status-${status ?? 'pending'}`} data-status={status ?? 'pending'}>
                  {t(`row_status_${keyPart(status ?? 'pending')}`)}
                </span>
              </div>
              <div class="row-line muted">
                <span>{expiry}</span>
                {s.worst && (
                  // The severity in words, not only in colour.
                  <span class={`worst-severity sev-${s.worst.severity}`}>
                    <span class="badge">{worstSeverity}</span>
                  </span>
                )}
                {s.worst && <span class={`worst sev-${s.worst.severity}`}>{worstTitle}</span>}
                <span class="count">{t('panel_row_seen', record.sightings.length)}</span>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

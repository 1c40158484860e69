import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { severityRank } from '../../../core/findings';
import type { TokenRecord } from '../../model/token-record';
import type { PanelController } from '../panel-controller';
import { FilterIndex, sameSummaryInputs, summarize, summaryInputs, type RecordSummary, type SummaryInputs } from './record-summary';
import { TokenList } from './TokenList';
import { useListWidth } from './use-list-width';
import { TABS, type Tab } from './tabs';
import { moduleLoader, useModule } from '../../../ui/use-module';
import { t } from '../../../ui/i18n';

const detailViews = moduleLoader(() => import('./detail-views'));
/** Export and import are a click away, never needed before first paint. */
const captureFile = moduleLoader(() => import('../../model/capture-file'));

type SortKey = 'first-seen' | 'severity' | 'expiry';

export function PanelApp({ controller }: { controller: PanelController }) {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const views = useModule(detailViews);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortKey>('first-seen');
  const [selected, setSelected] = useState<string | undefined>();
  const [tab, setTab] = useState<Tab>('details');
  const [preserve, setPreserve] = useState(controller.preserveLog);
  const [stripSignatures, setStripSignatures] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [nowSeconds, setNow] = useState(() => Math.floor(Date.now() / 1000));
  // Keyed by the record object: forgotten with it (after Clear, or when the store drops a token).
  const summaries = useRef(new WeakMap<TokenRecord, { version: number; summary: RecordSummary; inputs: SummaryInputs }>());
  const filterIndex = useRef<FilterIndex | undefined>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);
  const [listPercent, setListPercent] = useListWidth();

  useEffect(() => controller.subscribe(() => tick(undefined)), [controller]);
  // The expiry countdowns are live.
  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => clearInterval(timer);
  }, []);

  const store = controller.store;
  const version = store.version;
  const summaryOf = (r: TokenRecord): RecordSummary => {
    const cached = summaries.current.get(r);
    if (cached && cached.version === r.version) return cached.summary;
    // A new version often changes nothing a row shows (a verdict without findings, the wording of a time
    // finding): the summary is then kept, and so are the filter's sets built from it.
    if (cached && sameSummaryInputs(cached.inputs, r)) {
      cached.version = r.version;
      return cached.summary;
    }
    const summary = summarize(r);
    summaries.current.set(r, { version: r.version, summary, inputs: summaryInputs(r) });
    return summary;
  };

  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const terms = needle ? needle.split(/\s+/) : [];
    let list = store.records();
    if (terms.length > 0) {
      // summaryOf reads only refs, so the first render's copy serves for good.
      filterIndex.current ??= new FilterIndex(summaryOf);
      list = filterIndex.current.filter(list, terms, version);
    }
    if (sort === 'severity') {
      list = [...list].sort((a, b) => rank(a) - rank(b));
    } else if (sort === 'expiry') {
      list = [...list].sort((a, b) => (summaryOf(a).exp ?? Infinity) - (summaryOf(b).exp ?? Infinity));
    }
    return list;
  }, [version, filter, sort]);

  const record = selected ? store.get(selected) : undefined;

  async function exportCapture() {
    const file = await captureFile.get();
    const blob = new Blob([file.exportCapture(store, { stripSignatures })], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `jwt-capture-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  async function importCapture(file: File) {
    const result = (await captureFile.get()).importCapture(store, await file.text());
    setNotice(
      result.errors.length
        ? t('panel_imported_with_problems', result.imported, result.errors.length, result.errors.slice(0, 3).join('; '))
        : t('panel_imported', result.imported),
    );
    controller.reverifyAll();
    tick(undefined);
  }

  return (
    <div class="panel-app" data-testid={controller.ready ? 'panel-ready' : 'panel-loading'}>
      <header class="toolbar">
        <input
          class="filter"
          type="search"
          data-testid="filter"
          placeholder={t('panel_filter_placeholder')}
          value={filter}
          onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
          aria-label={t('panel_filter_label')}
        />
        <label>
          {t('panel_sort')}{' '}
          <select value={sort} data-testid="sort" onChange={(e) => setSort((e.target as HTMLSelectElement).value as SortKey)}>
            <option value="first-seen">{t('panel_sort_first_seen')}</option>
            <option value="severity">{t('panel_sort_severity')}</option>
            <option value="expiry">{t('panel_sort_expiry')}</option>
          </select>
        </label>
        <label title={t('panel_preserve_log_title')}>
          <input
            type="checkbox"
            data-testid="preserve-log"
            checked={preserve}
            onChange={(e) => {
              controller.preserveLog = (e.target as HTMLInputElement).checked;
              setPreserve(controller.preserveLog);
            }}
          />{' '}
          {t('panel_preserve_log')}
        </label>
        <button
          type="button"
          data-testid="read-storage"
          onClick={() => void controller.snapshotStorage()}
          title={t('panel_read_storage_title')}
        >
          {t('panel_read_storage')}
        </button>
        <button type="button" data-testid="reverify" onClick={() => controller.reverifyAll()}>
          {t('panel_reverify')}
        </button>
        <button type="button" data-testid="clear" onClick={() => controller.clear()}>
          {t('panel_clear')}
        </button>
        <button type="button" data-testid="export" onClick={() => void exportCapture()}>
          {t('panel_export')}
        </button>
        <label class="small">
          <input type="checkbox" checked={stripSignatures} onChange={(e) => setStripSignatures((e.target as HTMLInputElement).checked)} />{' '}
          {t('panel_strip_signatures')}
        </label>
        <button type="button" onClick={() => fileInput.current?.click()}>
          {t('panel_import')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          hidden
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0];
            if (f) void importCapture(f);
          }}
        />
        <span class="muted small" data-testid="counts">
          {t('panel_counts', store.size, store.sightingCount)}
          {store.dropped > 0 && ` · ${t('panel_dropped', store.dropped)}`}
          {controller.bodiesSkipped > 0 && ` · ${t('panel_bodies_skipped', controller.bodiesSkipped)}`}
        </span>
      </header>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <div class="split" style={{ '--list-width': `${listPercent}%` }}>
        <TokenList rows={rows} summaryOf={summaryOf} selected={selected} onSelect={setSelected} nowSeconds={nowSeconds} />
        {views && <views.Divider percent={listPercent} onChange={setListPercent} />}
        <div class="detail-pane">
          {/* The tabs pattern: arrow keys, Home and End move between the tabs (tab-keys.ts, with the views). */}
          <div class="tabs" role="tablist" aria-label={t('panel_tabs')} onKeyDown={(e) => views?.moveTab(e, tab, setTab)}>
            {TABS.map((tabName) => (
              <button
                type="button"
                key={tabName}
                role="tab"
                aria-selected={tab === tabName}
                tabIndex={tab === tabName ? 0 : -1}
                class={tab === tabName ? 'active' : ''}
                data-testid={`tab-${tabName}`}
                onClick={() => setTab(tabName)}
              >
                {t(`panel_tab_${tabName}`)}
              </button>
            ))}
          </div>
          {!views && <p class="muted">{t('common_loading')}</p>}
          {views &&
            tab === 'details' &&
            (record ? (
              <views.TokenDetail
                record={record}
                nowSeconds={nowSeconds}
                onKeyAdded={() => controller.reverifyAll()}
                devtools={controller.devtools}
              />
            ) : (
              <p class="muted">{store.size ? t('panel_select_token') : t('panel_empty')}</p>
            ))}
          {views && tab === 'posture' && (
            <views.Posture
              records={store.records()}
              onSelect={(token) => {
                setSelected(token);
                setTab('details');
              }}
            />
          )}
          {views && tab === 'timeline' && (
            <views.Timeline
              events={store.timeline()}
              onSelect={(token) => {
                setSelected(token);
                setTab('details');
              }}
            />
          )}
          {views && tab === 'flows' && (
            <views.Flows
              flows={controller.flowViews()}
              isRow={(t) => store.get(t) !== undefined}
              onSelect={(t) => {
                setSelected(t);
                setTab('details');
              }}
            />
          )}
        </div>
      </div>
    </div>
  );
}

function rank(r: TokenRecord): number {
  const worst = r.findings[0];
  return worst ? severityRank(worst.severity) : 99;
}

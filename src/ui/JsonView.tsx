import { describeClaim, describeHeaderParam, isTimeClaim } from '../core/claims';
import { formatTime } from '../core/time-format';
import { VisibleText } from './VisibleText';
import { keyPart, t } from './i18n';
import { localDateTimeText, relativeText } from './local-time-text';

/** JSON text of a value; a structure too deep for the engine to print is said, not thrown. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return t('common_too_deep');
  }
}

interface Props {
  value: unknown;
  /** Which catalogue explains the top-level names. */
  catalogue: 'claims' | 'header';
  now?: number;
  testId: string;
}

const MAX_ENTRIES = 500;

/** Readable JSON with each top-level name explained; always rendered as text, never as markup. */
export function JsonView({ value, catalogue, now, testId }: Props) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return (
      <pre class="json" data-testid={testId}>
        <VisibleText text={typeof value === 'string' ? value : jsonText(value)} />
      </pre>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    <div class="json" data-testid={testId}>
      <span class="punct">{'{'}</span>
      {entries.slice(0, MAX_ENTRIES).map(([name, v], i) => {
        const meaning = catalogue === 'claims' ? describeClaim(name) : describeHeaderParam(name);
        const time = catalogue === 'claims' && isTimeClaim(name) && typeof v === 'number' ? formatTime(v, now) : undefined;
        return (
          <div class="json-entry" key={name}>
            <span class="json-name">
              <VisibleText text={JSON.stringify(name)} limit={200} />
            </span>
            <span class="punct">: </span>
            <span class="json-value">
              <VisibleText text={jsonText(v)} />
            </span>
            {i < entries.length - 1 && <span class="punct">,</span>}
            {time && (
              <span
                class="json-time"
                title={time.iso}
              >{` ${localDateTimeText((v as number) * 1000)} (${relativeText(v as number, now)})`}</span>
            )}
            {meaning && <span class="json-meaning">{t(`${catalogue === 'claims' ? 'claim' : 'header'}_${keyPart(name)}`)}</span>}
          </div>
        );
      })}
      {entries.length > MAX_ENTRIES && <div class="muted">{t('common_more_entries', entries.length - MAX_ENTRIES)}</div>}
      <span class="punct">{'}'}</span>
    </div>
  );
}

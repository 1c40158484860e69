import { describeClaim, describeHeaderParam, formatTime, isTimeClaim } from '../core/claims';

interface Props {
  value: unknown;
  /** Which catalogue explains the top-level names. */
  catalogue: 'claims' | 'header';
  now?: number;
  testId: string;
}

/** Readable JSON with each top-level name explained; always rendered as text, never as markup. */
export function JsonView({ value, catalogue, now, testId }: Props) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return (
      <pre class="json" data-testid={testId}>
        {typeof value === 'string' ? value : JSON.stringify(value, null, 2)}
      </pre>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    <div class="json" data-testid={testId}>
      <span class="punct">{'{'}</span>
      {entries.map(([name, v], i) => {
        const meaning = catalogue === 'claims' ? describeClaim(name) : describeHeaderParam(name);
        const time = catalogue === 'claims' && isTimeClaim(name) && typeof v === 'number' ? formatTime(v, now) : undefined;
        return (
          <div class="json-entry" key={name}>
            <span class="json-name">{JSON.stringify(name)}</span>
            <span class="punct">: </span>
            <span class="json-value">{JSON.stringify(v, null, 2)}</span>
            {i < entries.length - 1 && <span class="punct">,</span>}
            {time && <span class="json-time" title={time.iso}>{` ${time.local} (${time.relative})`}</span>}
            {meaning && <span class="json-meaning">{meaning.meaning}</span>}
          </div>
        );
      })}
      <span class="punct">{'}'}</span>
    </div>
  );
}

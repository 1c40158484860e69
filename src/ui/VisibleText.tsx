import { useState } from 'preact/hooks';
import { t } from './i18n';

// Characters that change how text reads without showing themselves: bidi overrides and isolates (the
// "Trojan Source" trick), zero-width characters, and C0/C1 controls. Shown as visible markers instead.
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
export const TRUNCATE_AT = 2000;

export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}

function marked(text: string) {
  const out: (string | preact.JSX.Element)[] = [];
  let last = 0;
  INVISIBLE.lastIndex = 0;
  for (let m = INVISIBLE.exec(text); m; m = INVISIBLE.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    out.push(
      <span class="invisible-char" title={t('common_invisible_char', code)} key={m.index}>
        {`U+${code}`}
      </span>,
    );
    last = m.index + m[0].length;
    if (out.length > 2000) break;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Untrusted text, rendered as text: invisible characters marked, long text cut with "show more". */
export function VisibleText({ text, limit = TRUNCATE_AT }: { text: string; limit?: number }) {
  const [expanded, setExpanded] = useState(false);
  const long = text.length > limit;
  const shown = long && !expanded ? text.slice(0, limit) : text;
  return (
    <>
      {marked(shown)}
      {long && (
        <button type="button" class="link show-more" data-testid="show-more" onClick={() => setExpanded(!expanded)}>
          {expanded ? ` ${t('common_show_less')}` : ` … ${t('common_show_more', (text.length - limit).toLocaleString('en-US'))}`}
        </button>
      )}
    </>
  );
}

// Two tokens side by side, the claims (and header members) that differ highlighted: a refreshed token
// against the one it replaced, an edited token against its original. Everything is shown as text.
import { useMemo, useState } from 'preact/hooks';
import { decodeToken } from '../../core/decode';
import { isJsonObject } from '../../core/is-json-object';
import { t } from '../i18n';
import { TextArea } from '../TextArea';
import { VisibleText } from '../VisibleText';

export interface ClaimDiff {
  part: 'header' | 'payload';
  name: string;
  left?: string;
  right?: string;
  same: boolean;
}

const MAX_MEMBERS = 500;

function members(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : { '(payload)': value };
}

/** Every header member and claim of two tokens, each marked same or different. */
export function diffTokens(left: string, right: string): ClaimDiff[] | undefined {
  const a = decodeToken(left.trim());
  const b = decodeToken(right.trim());
  if (!a.ok || !b.ok) return undefined;
  const out: ClaimDiff[] = [];
  for (const part of ['header', 'payload'] as const) {
    const l = members(a[part]);
    const r = members(b[part]);
    const names = [...new Set([...Object.keys(l), ...Object.keys(r)])].slice(0, MAX_MEMBERS);
    for (const name of names) {
      const lv = name in l ? JSON.stringify(l[name]) : undefined;
      const rv = name in r ? JSON.stringify(r[name]) : undefined;
      out.push({ part, name, ...(lv !== undefined ? { left: lv } : {}), ...(rv !== undefined ? { right: rv } : {}), same: lv === rv });
    }
  }
  return out;
}

export function Compare({ left, right: initialRight = '' }: { left: string; right?: string }) {
  const [right, setRight] = useState(initialRight);
  const diff = useMemo(() => (right.trim() ? diffTokens(left, right) : undefined), [left, right]);
  return (
    <div class="wb-compare" data-testid="compare">
      <TextArea data-testid="compare-input" rows={3} placeholder={t('workbench_compare_placeholder')} value={right} onValue={setRight} />
      {right.trim() && !diff && <p class="error small">{t('workbench_compare_not_tokens')}</p>}
      {diff && (
        <table class="replay-results">
          <thead>
            <tr>
              <th />
              <th>{t('workbench_compare_this')}</th>
              <th>{t('workbench_compare_other')}</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((d) => (
              <tr
                key={`${d.part}.${d.name}`}
                data-testid="compare-row"
                data-claim={d.name}
                data-part={d.part}
                data-differs={d.same ? undefined : 'true'}
                class={d.same ? '' : 'differs'}
              >
                <td>
                  <VisibleText text={d.part === 'header' ? t('workbench_compare_header_member', d.name) : d.name} limit={100} />
                </td>
                <td>
                  {d.left === undefined ? (
                    <span class="muted">{t('workbench_compare_absent')}</span>
                  ) : (
                    <VisibleText text={d.left} limit={300} />
                  )}
                </td>
                <td>
                  {d.right === undefined ? (
                    <span class="muted">{t('workbench_compare_absent')}</span>
                  ) : (
                    <VisibleText text={d.right} limit={300} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

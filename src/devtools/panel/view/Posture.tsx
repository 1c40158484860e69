import type { TokenRecord } from '../../model/token-record';
import { isLoopbackHost } from '../../../core/is-loopback';
import { keyPart, t } from '../../../ui/i18n';

interface Evidence {
  token: string;
  text: string;
}

/** The XSS-versus-CSRF trade-off the app made, in one glance, with the evidence behind each line. */
export function Posture({ records, onSelect }: { records: readonly TokenRecord[]; onSelect(token: string): void }) {
  const readable: Evidence[] = [];
  const cookies: Evidence[] = [];
  const inUrl: Evidence[] = [];
  const cleartext: Evidence[] = [];
  for (const r of records) {
    const seen = new Set<string>();
    const push = (list: Evidence[], text: string) => {
      if (seen.has(text) || list.length >= 20) return;
      seen.add(text);
      list.push({ token: r.token, text });
    };
    for (const s of r.sightings) {
      const w = s.sighting.where;
      const name = s.sighting.name ?? '';
      if (w === 'local-storage' || w === 'session-storage' || w === 'document-cookie')
        push(readable, `${t(`where_${keyPart(w)}`)} "${name}"`);
      if ((w === 'set-cookie' || w === 'cookie') && s.sighting.cookie) {
        const c = s.sighting.cookie;
        push(
          cookies,
          t(
            'posture_cookie',
            name,
            c.httpOnly ? 'HttpOnly' : t('posture_readable_by_scripts'),
            c.secure ? 'Secure' : t('posture_not_secure'),
            c.sameSite ?? t('posture_unset'),
          ),
        );
      }
      if (w === 'url') push(inUrl, t('posture_in_url', name || 'URL', safePath(s.requestUrl)));
      if (/^(http|ws):\/\//i.test(s.requestUrl) && !isLoopback(s.requestUrl)) push(cleartext, safePath(s.requestUrl));
    }
  }
  const verdict =
    readable.length && cookies.length
      ? t('posture_verdict_both')
      : readable.length
        ? t('posture_verdict_readable')
        : cookies.length
          ? t('posture_verdict_cookies')
          : t('posture_verdict_none');
  return (
    <section class="posture" data-testid="posture">
      <h2>{t('posture_title')}</h2>
      <p data-testid="posture-verdict">{verdict}</p>
      <EvidenceList title={t('posture_readable')} items={readable} onSelect={onSelect} testId="posture-readable" />
      <EvidenceList title={t('posture_cookies')} items={cookies} onSelect={onSelect} testId="posture-cookies" />
      <EvidenceList title={t('posture_urls')} items={inUrl} onSelect={onSelect} testId="posture-url" />
      <EvidenceList title={t('posture_cleartext')} items={cleartext} onSelect={onSelect} testId="posture-cleartext" />
    </section>
  );
}

function EvidenceList({ title, items, onSelect, testId }: { title: string; items: Evidence[]; onSelect(t: string): void; testId: string }) {
  if (!items.length) return null;
  return (
    <div data-testid={testId}>
      <h3>{title}</h3>
      <ul>
        {items.map((e, i) => (
          <li key={i}>
            <button type="button" class="link" onClick={() => onSelect(e.token)}>
              {e.text}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function safePath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.slice(0, 120);
  }
}

function isLoopback(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

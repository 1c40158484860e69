import type { TokenRecord } from '../../model/token-record';
import { isLoopbackHost } from '../../../core/is-loopback';

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
      if (w === 'local-storage' || w === 'session-storage' || w === 'document-cookie') push(readable, `${w.replace('-', ' ')} "${name}"`);
      if ((w === 'set-cookie' || w === 'cookie') && s.sighting.cookie) {
        const c = s.sighting.cookie;
        push(
          cookies,
          `cookie "${name}": ${c.httpOnly ? 'HttpOnly' : 'readable by scripts'}, ${c.secure ? 'Secure' : 'not Secure'}, SameSite=${c.sameSite ?? 'unset'}`,
        );
      }
      if (w === 'url') push(inUrl, `${name || 'URL'} in ${safePath(s.requestUrl)}`);
      if (/^(http|ws):\/\//i.test(s.requestUrl) && !isLoopback(s.requestUrl)) push(cleartext, safePath(s.requestUrl));
    }
  }
  const verdict =
    readable.length && cookies.length
      ? 'Tokens are both readable by page scripts and sent in cookies: exposed to XSS and to CSRF.'
      : readable.length
        ? 'Tokens are readable by page scripts (XSS can steal them); requests carry them explicitly, so CSRF is not the risk.'
        : cookies.length
          ? "Tokens ride in cookies: out of scripts' reach if HttpOnly, but sent with every request (protect against CSRF)."
          : 'No token storage seen yet.';
  return (
    <section class="posture" data-testid="posture">
      <h2>Page posture</h2>
      <p data-testid="posture-verdict">{verdict}</p>
      <EvidenceList title="Readable by page scripts (what XSS can steal)" items={readable} onSelect={onSelect} testId="posture-readable" />
      <EvidenceList title="In cookies" items={cookies} onSelect={onSelect} testId="posture-cookies" />
      <EvidenceList title="In URLs (logged by servers, proxies and history)" items={inUrl} onSelect={onSelect} testId="posture-url" />
      <EvidenceList title="Over cleartext HTTP" items={cleartext} onSelect={onSelect} testId="posture-cleartext" />
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

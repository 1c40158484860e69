// The demo's pages, inline: no build step. Every server answer is shown with textContent, never as markup.
// The page script avoids template literals so that it can sit in this file's template strings as is.

export interface PageConfig {
  accessTtlSeconds: number;
  users: string[];
}

const STYLE = `
  :root { color-scheme: light dark; --fg: #1d2430; --muted: #5b6576; --line: #d6dbe3; --bg: #fff; --card: #f6f8fb; --accent: #2457c5; --bad: #b3261e; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e3e7ee; --muted: #9aa4b5; --line: #394152; --bg: #161a22; --card: #1f2430; --accent: #7aa2ff; --bad: #ff8a80; } }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
  main { max-width: 980px; margin: 0 auto; padding: 16px 20px 40px; }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 0 0 8px; }
  p { margin: 6px 0; } .muted { color: var(--muted); } code { font: 12px ui-monospace, monospace; }
  section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 12px 0; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; } @media (max-width: 760px) { .grid { grid-template-columns: 1fr; } }
  .modes label { display: block; margin: 4px 0; } .modes b { display: inline-block; min-width: 70px; }
  input[type=text], input[type=password] { width: 9em; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); }
  button { padding: 5px 10px; margin: 3px 4px 3px 0; border: 1px solid var(--line); border-radius: 5px; background: var(--bg); color: var(--fg); cursor: pointer; }
  button.primary { background: var(--accent); border-color: var(--accent); color: #fff; } button.danger { border-color: var(--bad); color: var(--bad); }
  pre { margin: 0; padding: 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); white-space: pre-wrap; word-break: break-all; font: 12px/1.4 ui-monospace, monospace; max-height: 320px; overflow: auto; }
  #session { font-weight: 600; } iframe { width: 100%; height: 70px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
  a { color: var(--accent); }
`;

const SCRIPT = `
'use strict';
var cfg = JSON.parse(document.getElementById('config').textContent);
function el(id) { return document.querySelector('[data-testid="' + id + '"]'); }
var KEY = 'demo_session';
var state = null;
var previousRefresh = null;
try { state = JSON.parse(localStorage.getItem(KEY) || 'null'); } catch (e) { state = null; }

function save() { if (state) localStorage.setItem(KEY, JSON.stringify(state)); else localStorage.removeItem(KEY); renderSession(); }
function chosenMode() { var r = document.querySelector('input[name=mode]:checked'); return r ? r.value : 'storage'; }
function readCookie(name) {
  var parts = document.cookie ? document.cookie.split('; ') : [];
  for (var i = 0; i < parts.length; i++) { var eq = parts[i].indexOf('='); if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1); }
  return null;
}
function accessToken() { return state && state.mode === 'storage' ? localStorage.getItem('access_token') : state && state.mode === 'careless' ? readCookie('access_token') : null; }
function refreshToken() { return state && state.mode === 'storage' ? localStorage.getItem('refresh_token') : state && state.mode === 'careless' ? readCookie('refresh_token') : null; }
function short(t) { return t && t.length > 24 ? t.slice(0, 12) + '…' + t.slice(-8) : String(t); }

function show(title, status, body) {
  el('answer').textContent = title + '  →  ' + status + '\\n\\n' + (typeof body === 'string' ? body : JSON.stringify(body, null, 2));
}
function note(title, text) { show(title, 'not sent', text); }

async function call(method, url, options) {
  options = options || {};
  var shown = url.replace(/(access_token=)[^&]+/, function (m, p) { return p + short(decodeURIComponent(m.slice(p.length))); });
  var init = { method: method, headers: options.headers || {}, credentials: 'same-origin' };
  if (options.form) { init.body = new URLSearchParams(options.form).toString(); init.headers['content-type'] = 'application/x-www-form-urlencoded'; }
  if (options.json) { init.body = JSON.stringify(options.json); init.headers['content-type'] = 'application/json'; }
  var label = method + ' ' + shown + (init.headers.Authorization ? '  (Authorization: Bearer ' + short(init.headers.Authorization.slice(7)) + ')' : '');
  try {
    var r = await fetch(url, init);
    var text = await r.text();
    var body; try { body = JSON.parse(text); } catch (e) { body = text; }
    show(label, r.status + ' ' + r.statusText, body);
    loadStore();
    return { status: r.status, body: body };
  } catch (e) {
    show(label, 'network error', String(e));
    return { status: 0, body: null };
  }
}

async function loadStore() {
  try { el('store').textContent = JSON.stringify(await (await fetch('/demo/store')).json(), null, 2); } catch (e) { el('store').textContent = String(e); }
}

function renderSession() {
  var s = el('session');
  if (!state) { s.textContent = 'Not signed in.'; return; }
  var left = state.accessExpiresAt - Date.now() / 1000;
  var when = left > 0 ? 'access token valid ' + Math.ceil(left) + ' s more' : 'access token expired ' + Math.floor(-left) + ' s ago — time to refresh';
  if (left > 3 * 86400) when = 'access token valid ' + Math.round(left / 86400) + ' days more (!)';
  s.textContent = 'Signed in as ' + state.user + ' — ' + state.mode + ' mode — ' + (state.revoked ? 'REVOKED by the server: ' + state.revoked : when) + '.';
}

function takeTokens(body) {
  state = { user: body.user, mode: body.mode, accessExpiresAt: body.access_expires_at, revoked: null };
  if (body.mode === 'storage') { localStorage.setItem('access_token', body.access_token); localStorage.setItem('refresh_token', body.refresh_token); }
  save();
}

async function signIn() {
  if (state) await signOut(true);
  var r = await call('POST', '/auth/login', { json: { username: el('username').value, password: el('password').value, mode: chosenMode() } });
  if (r.status === 200) takeTokens(r.body);
}

async function signOut(quiet) {
  var rt = refreshToken();
  // The revocation shape of RFC 7009 (token + token_type_hint): a field named refresh_token would look like a refresh.
  var r = await call('POST', '/auth/logout', rt && state && state.mode === 'storage' ? { form: { token: rt, token_type_hint: 'refresh_token' } } : {});
  localStorage.removeItem('access_token'); localStorage.removeItem('refresh_token');
  previousRefresh = null; state = null; save();
  if (quiet !== true) return r;
}

async function callApi() {
  if (!state) return call('GET', '/api/me');
  if (state.mode === 'storage') return call('GET', '/api/me', { headers: { Authorization: 'Bearer ' + accessToken() } });
  if (state.mode === 'careless') return call('GET', '/api/me?access_token=' + encodeURIComponent(accessToken() || ''));
  return call('GET', '/api/me');
}

async function refresh() {
  if (!state) return note('POST /auth/refresh', 'Sign in first.');
  var before = refreshToken();
  var r = await call('POST', '/auth/refresh', state.mode === 'storage' ? { form: { grant_type: 'refresh_token', refresh_token: before } } : { form: { grant_type: 'refresh_token' } });
  if (r.status === 200) {
    if (before) previousRefresh = before;
    takeTokens(r.body);
  } else if (r.body && r.body.revoked) {
    state.revoked = r.body.reason; save();
  }
}

var waiting = null;
function refreshWhenExpired() {
  if (!state) return note('POST /auth/refresh', 'Sign in first.');
  var left = state.accessExpiresAt * 1000 - Date.now();
  if (left <= 0) return refresh();
  if (left > 600000) return note('POST /auth/refresh', 'This access token lives ' + Math.round(left / 86400000) + ' days: nobody waits that long. Use "Refresh now" to see what the server makes of it.');
  show('POST /auth/refresh', 'waiting', 'Waiting ' + Math.ceil(left / 1000) + ' s for the access token to expire, then refreshing: what a well-behaved client does.');
  clearTimeout(waiting);
  waiting = setTimeout(refresh, left + 300);
}

function replay() {
  if (!state) return note('POST /auth/refresh', 'Sign in first.');
  if (state.mode === 'cookie') return note('POST /auth/refresh (replay)', 'This page cannot read its HttpOnly refresh token, so no script on it — an injected one included — can keep a copy to replay. Try storage mode.');
  if (!previousRefresh) return note('POST /auth/refresh (replay)', 'No spent refresh token yet: refresh once (after the access token expired), then replay the old one.');
  return call('POST', '/auth/refresh', { form: { grant_type: 'refresh_token', refresh_token: previousRefresh } }).then(function (r) {
    if (r.body && r.body.revoked) { state.revoked = r.body.reason; save(); }
  });
}

function b64url(text) { return btoa(text).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, ''); }
function unb64url(part) { return atob(part.replace(/-/g, '+').replace(/_/g, '/')); }
function tamper() {
  if (!state) return note('GET /api/me (tampered)', 'Sign in first.');
  var t = accessToken();
  if (!t) return note('GET /api/me (tampered)', 'This page cannot read its HttpOnly access token, so it cannot tamper with it. Try storage mode.');
  var parts = t.split('.');
  var claims = JSON.parse(unb64url(parts[1]));
  claims.sub = 'mallory';
  var forged = parts[0] + '.' + b64url(JSON.stringify(claims)) + '.' + parts[2];
  return call('GET', '/api/me', { headers: { Authorization: 'Bearer ' + forged } });
}

function scriptRead() {
  var items = [];
  for (var i = 0; i < localStorage.length; i++) { var k = localStorage.key(i); items.push(k + ' = ' + short(localStorage.getItem(k))); }
  var cookies = document.cookie;
  var all = items.join(' ') + ' ' + cookies;
  for (var j = 0; j < localStorage.length; j++) all += ' ' + localStorage.getItem(localStorage.key(j));
  var tokens = all.match(/eyJ[\\w-]+\\.eyJ[\\w-]+\\.[\\w-]*/g) || [];
  var distinct = tokens.filter(function (t, n) { return tokens.indexOf(t) === n; });
  var verdict = distinct.length
    ? 'An injected script (XSS, a compromised third-party script) can read these tokens and send them anywhere: the attacker then calls the API as ' + (state ? state.user : 'the user') + ' from their own machine.'
    : 'No token is readable: HttpOnly cookies are invisible to scripts. They still ride along on every request to this site — see the CSRF section below.';
  show('What a script on this page can read', distinct.length + ' token(s) readable',
    'localStorage:\\n  ' + (items.join('\\n  ') || '(empty)') + '\\ndocument.cookie:\\n  ' + (cookies ? cookies.split('; ').map(short).join('\\n  ') : '(empty)') + '\\n\\n' + verdict);
}

function attackerUrl() {
  var other = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return location.protocol + '//' + other + ':' + location.port + '/attacker?target=' + encodeURIComponent(location.origin);
}

el('sign-in-form').addEventListener('submit', function (e) { e.preventDefault(); signIn(); });
el('sign-out').addEventListener('click', function () { signOut(); });
el('call-api').addEventListener('click', callApi);
el('refresh').addEventListener('click', refreshWhenExpired);
el('refresh-now').addEventListener('click', refresh);
el('replay-refresh').addEventListener('click', replay);
el('tamper').addEventListener('click', tamper);
el('script-read').addEventListener('click', scriptRead);
el('rotate-key').addEventListener('click', function () { call('POST', '/demo/rotate-key'); });
el('attacker-link').href = attackerUrl();
el('issuer').textContent = location.origin.replace('localhost', '127.0.0.1');
if (state) { var radio = document.querySelector('input[name=mode][value=' + state.mode + ']'); if (radio) radio.checked = true; }
setInterval(renderSession, 500);
renderSession();
loadStore();
`;

export function demoPage(config: PageConfig): string {
  const users = config.users.map((u) => `${u} / ${u}`).join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>JWT Inspector demo — sign-in flow</title><style>${STYLE}</style></head>
<body><main>
<h1>JWT Inspector demo: a sign-in flow to inspect</h1>
<p class="muted">Open DevTools (F12) and its <b>JWT</b> panel, then sign in. Every token this page receives, stores and sends shows up there, with where it was seen and what is wrong with it.
The access token lives <b>${config.accessTtlSeconds} s</b> (careless mode: 30 days).
<a href="/oidc" data-testid="oidc-mode">OpenID sign-in with a real provider</a> (a good and a careless client, for the panel's <b>flows</b> tab).</p>
<script type="application/json" id="config">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>

<div class="grid">
<section>
  <h2>1. Sign in</h2>
  <form data-testid="sign-in-form">
  <div class="modes">
    <label><input type="radio" name="mode" value="cookie" data-testid="mode-cookie"> <b>cookie</b> HttpOnly + Secure + SameSite=Strict cookies: scripts cannot read them; the browser sends them on its own (CSRF).</label>
    <label><input type="radio" name="mode" value="storage" data-testid="mode-storage" checked> <b>storage</b> localStorage, sent as <code>Authorization: Bearer</code>: never sent on its own; every script can read it (XSS).</label>
    <label><input type="radio" name="mode" value="careless" data-testid="mode-careless"> <b>careless</b> what not to do: cookies without HttpOnly, SameSite=None, the token in the URL, HS256 with the secret "secret", a 30-day access token.</label>
  </div>
  <p><input type="text" data-testid="username" value="alice" aria-label="user name" autocomplete="username">
     <input type="password" data-testid="password" value="alice" aria-label="password" autocomplete="current-password">
     <button class="primary" type="submit" data-testid="sign-in">Sign in</button> <button type="button" data-testid="sign-out">Sign out</button></p>
  </form>
  <p class="muted">Demo users: ${users}.</p>
  <p id="session" data-testid="session">Not signed in.</p>
</section>

<section>
  <h2>2. Use, refresh, misuse</h2>
  <button data-testid="call-api">Call /api/me</button>
  <button data-testid="refresh">Refresh once expired</button>
  <button class="danger" data-testid="refresh-now">Refresh now (access token still valid → theft)</button>
  <button class="danger" data-testid="replay-refresh">Replay the previous refresh token</button>
  <button class="danger" data-testid="tamper">Send a tampered access token</button>
  <button data-testid="script-read">What can a script on this page read?</button>
  <p class="muted">The server keeps (access, refresh) pairs. A refresh while the paired access token is still valid is read as a stolen refresh token, and a refresh token used twice as a replay: either way the server revokes the whole sign-in.</p>
</section>
</div>

<section>
  <h2>The server's answer</h2>
  <pre data-testid="answer">Nothing sent yet.</pre>
</section>

<div class="grid">
<section>
  <h2>3. Cross-site request forgery</h2>
  <p>A state-changing request authenticated by the <code>access_token</code> cookie alone (no CSRF token, no Origin check):</p>
  <form method="post" action="/api/transfer" target="csrf-result" data-testid="csrf-form">
    <input type="hidden" name="to" value="mallory"><input type="hidden" name="amount" value="100">
    <button data-testid="csrf-submit">Send 100 coins to mallory (form POST from this page)</button>
  </form>
  <iframe name="csrf-result" data-testid="csrf-result" title="transfer answer"></iframe>
  <p>The same form on another site: <a data-testid="attacker-link" target="_blank" rel="noopener" href="#">open the attacker's page</a>
   (<code>localhost</code> and <code>127.0.0.1</code> are different sites). SameSite=Strict keeps the cookie off it; careless mode's SameSite=None does not; storage mode has no cookie to send.</p>
</section>

<section>
  <h2>4. Keys</h2>
  <p>Tokens are signed with RS256 (careless mode: HS256). To let the extension verify them, add this issuer on its options page (it finds the keys by OpenID Connect discovery), then press <b>Re-verify</b> in the panel:</p>
  <p><code data-testid="issuer"></code></p>
  <p><a href="/.well-known/openid-configuration" target="_blank">/.well-known/openid-configuration</a> · <a href="/jwks.json" target="_blank">/jwks.json</a></p>
  <button data-testid="rotate-key">Rotate the signing key</button>
  <p class="muted">New tokens get the new key's kid; the old key stays in the JWKS until the last token it signed has expired.</p>
</section>
</div>

<section>
  <h2>The server's token store</h2>
  <pre data-testid="store"></pre>
</section>
</main>
<script>${SCRIPT}</script>
</body></html>`;
}

export function blankPage(): string {
  return '<!doctype html><meta charset="utf-8"><title>JWT Inspector demo — waiting</title><p>Waiting for DevTools.</p>';
}

/** Another site's page that makes the victim's browser post a transfer: the textbook CSRF. */
export function attackerPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Totally legit prize page</title><style>${STYLE}</style></head>
<body><main>
<h1>You won! (an attacker's page on another site)</h1>
<p>This page sits on another site than the demo. As it loads, it submits a hidden form to the demo's <code>/api/transfer</code>.
Whether your browser attaches the demo's <code>access_token</code> cookie decides whether the transfer happens: the answer replaces this page.</p>
<form method="post" data-testid="attack-form"><input type="hidden" name="to" value="mallory"><input type="hidden" name="amount" value="100"></form>
<script>
'use strict';
var target = new URLSearchParams(location.search).get('target') || '';
// Only the demo's own two origins, on this port.
if (!/^http:\\/\\/(127\\.0\\.0\\.1|localhost):\\d+$/.test(target)) target = location.protocol + '//127.0.0.1:' + location.port;
var form = document.querySelector('[data-testid=attack-form]');
form.action = target + '/api/transfer';
setTimeout(function () { form.submit(); }, 800);
</script>
</main></body></html>`;
}

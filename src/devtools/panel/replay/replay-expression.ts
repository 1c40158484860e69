// The code a replay runs in the inspected page through devtools.inspectedWindow.eval: eval cannot wait for a
// promise, so one function starts the fetch and leaves its answer under a one-time id, and another collects
// it. Both are fixed text, self-contained ES5 like the storage reader (ARCHITECTURE.md, "Reading the
// inspected page's storage"); the request travels as their JSON argument (devtools-api.ts, evalWith),
// never spliced into code.

/** Response text kept per answer: enough to compare and to read, never a whole download. */
export const MAX_ANSWER_BODY_CHARS = 64 * 1024;
export const REPLAY_TIMEOUT_MS = 15_000;

/** Called with { id, method, url, headers, body?, maxBody, timeout }; answers true once the fetch started. */
export const REPLAY_START = `function (spec) {
  var slot = window.__jwtInspectorReplay || (window.__jwtInspectorReplay = {});
  slot[spec.id] = null;
  var started = Date.now();
  var init = { method: spec.method, headers: spec.headers, credentials: 'same-origin', cache: 'no-store', redirect: 'follow' };
  if (spec.body !== undefined) init.body = spec.body;
  if (typeof AbortController === 'function') {
    var controller = new AbortController();
    init.signal = controller.signal;
    setTimeout(function () { controller.abort(); }, spec.timeout);
  }
  fetch(spec.url, init).then(function (response) {
    var headers = [];
    response.headers.forEach(function (value, name) { if (headers.length < 50) headers.push([String(name).slice(0, 200), String(value).slice(0, 1000)]); });
    return response.text().then(function (text) {
      slot[spec.id] = { status: response.status, headers: headers, body: text.slice(0, spec.maxBody), size: text.length, ms: Date.now() - started };
    });
  }).catch(function (e) {
    slot[spec.id] = { error: String((e && e.message) || e).slice(0, 300), ms: Date.now() - started };
  });
  return true;
}`;

/** Called with the id: the answer as JSON once there, "pending" before; the page's slot is emptied as it is read. */
export const REPLAY_COLLECT = `function (id) {
  var slot = window.__jwtInspectorReplay;
  if (!slot || !(id in slot)) return 'missing';
  var answer = slot[id];
  if (answer === null) return 'pending';
  delete slot[id];
  try { return JSON.stringify(answer); } catch (e) { return 'missing'; }
}`;

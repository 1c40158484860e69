// Where a JSON text first goes wrong. JSON.parse does not always say (V8 words some errors with a snippet
// and no position), and the editor must point at the line: this scanner runs only after JSON.parse failed.
// Iterative, so a hostile nesting depth cannot overflow the stack.

const WS = new Set([' ', '\t', '\n', '\r']);

/** Offset of the first character that cannot continue a JSON text, or the text's length when it ends early. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const stack: ('{' | '[')[] = [];
  const skip = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return true;
    }
    return false;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return true;
      }
      if (c < ' ') return false;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const number = (): boolean => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  // Expecting a value; then, inside containers, a separator or an end.
  let wantValue = true;
  for (;;) {
    skip();
    if (wantValue) {
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        skip();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          wantValue = false;
          continue;
        }
        if (c === '{') {
          if (!string()) return i;
          skip();
          if (text[i] !== ':') return i;
          i++;
        }
        continue;
      }
      if (!(string() || number() || literal('true') || literal('false') || literal('null'))) return i;
      wantValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return Math.min(i, text.length);
    const c = text[i];
    if (c === ',') {
      i++;
      if (top === '{') {
        skip();
        if (!string()) return i;
        skip();
        if (text[i] !== ':') return i;
        i++;
      }
      wantValue = true;
    } else if ((top === '{' && c === '}') || (top === '[' && c === ']')) {
      stack.pop();
      i++;
    } else return i;
  }
}

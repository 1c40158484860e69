// No words a person reads are written into a UI component: they come from the message catalogue through t()
// (src/ui/i18n.ts, ARCHITECTURE.md "Languages"). Parsed, not grepped: JSX text, the attributes a person
// reads or hears (title, aria-label, placeholder, alt, label), and every string or template literal that
// holds a sentence (a letter and a space) are flagged unless they are a t() call's key. ALLOWED lists what is
// exempt, each with why.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const UI_DIRS = ['src/popup', 'src/options', 'src/devtools/panel/view', 'src/ui'];

/** Attributes whose value a person reads or a screen reader speaks. */
const VISIBLE_ATTRIBUTES = new Set([
  'title',
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'placeholder',
  'alt',
  'label',
]);

/**
 * Text that is the same in every language, by file. Keep it short, and say why for each entry.
 */
const ALLOWED: Record<string, readonly string[]> = {
  // Names of the browser APIs a token was read from: code, not words.
  'src/popup/PageTokens.tsx': ['localStorage', 'sessionStorage', 'document.cookie'],
  // Cookie attribute names as they appear in a Set-Cookie header.
  'src/devtools/panel/view/SightingList.tsx': ['HttpOnly', 'Secure', 'SameSite='],
  'src/devtools/panel/view/Posture.tsx': ['HttpOnly', 'Secure', 'URL'],
  // Encodings by their standard names, and an example URL (an address reads the same in every language).
  'src/options/KeyStoreView.tsx': ['base64', 'base64url', 'hex', 'https://issuer.example'],
  // The JOSE header parameter's name.
  'src/ui/VerificationBadge.tsx': ['/ kid'],
  // A code point is written U+XXXX in every language.
  'src/ui/VisibleText.tsx': ['U+'],
};

function uiFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return uiFiles(path);
    return /\.tsx$/.test(name) || (dir === 'src/devtools/panel/view' && /\.ts$/.test(name)) ? [path] : [];
  });
}

type Node = { type: string; start: number; [key: string]: unknown };

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';
const hasLetter = (s: string) => /\p{L}/u.test(s);
/** A sentence, not an identifier, a class list or a key: a letter and a space between words. */
const isSentence = (s: string) => hasLetter(s) && /\p{L}[^\n]*\s+[^\n]*\p{L}/u.test(s.trim());

interface Offence {
  file: string;
  line: number;
  text: string;
}

function offences(file: string, source = readFileSync(join(root, file), 'utf8')): Offence[] {
  const ast = parseAst(source, { lang: file.endsWith('.tsx') ? 'tsx' : 'ts' }) as unknown as Node;
  const allowed = new Set(ALLOWED[file] ?? []);
  const found: Offence[] = [];
  const lineOf = (pos: number) => source.slice(0, pos).split('\n').length;
  const report = (node: Node, text: string) => {
    if (!allowed.has(text.trim())) found.push({ file, line: lineOf(node.start), text: text.trim() });
  };

  function walk(node: Node, parent: Node | undefined, inJsxChild: boolean): void {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'TSTypeAnnotation':
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
      case 'TSLiteralType':
        return;
      case 'CallExpression': {
        // t('key', …): the key is not text; its other arguments are checked like any value.
        const callee = node.callee as Node;
        const args = node.arguments as Node[];
        const isT = callee.type === 'Identifier' && (callee.name === 't' || callee.name === 'applyLanguage');
        for (const [i, a] of args.entries()) if (!(isT && i === 0)) walk(a, node, false);
        walk(callee, node, false);
        return;
      }
      case 'JSXText':
        if (hasLetter(node.value as string)) report(node, node.value as string);
        return;
      case 'JSXAttribute': {
        const name = (node.name as Node).name as string;
        const value = node.value as Node | null;
        if (!value) return;
        if (VISIBLE_ATTRIBUTES.has(name)) walk(value, node, true);
        else if (!/^(class|className|data-.*|key|type|role|id|href|accept|value|style|testId|catalogue)$/.test(name))
          walk(value, node, false);
        return;
      }
      case 'JSXExpressionContainer':
        walk(node.expression as Node, node, parent?.type !== 'JSXAttribute' || inJsxChild);
        return;
      case 'Literal':
        if (typeof node.value === 'string') {
          if (inJsxChild ? hasLetter(node.value) : isSentence(node.value)) report(node, node.value);
        }
        return;
      case 'TemplateLiteral': {
        const text = (node.quasis as Node[]).map((q) => (q.value as { cooked: string }).cooked).join('');
        if (inJsxChild ? hasLetter(text) : isSentence(text)) report(node, text);
        for (const e of node.expressions as Node[]) walk(e, node, false);
        return;
      }
      case 'BinaryExpression':
        // Comparisons with a code (e.key === 'ArrowDown') are not text.
        if (/^[!=]==?$/.test(node.operator as string)) return;
        break;
      case 'Property':
        walk(node.value as Node, node, inJsxChild);
        return;
    }
    // Inside a JSX child a conditional's or a logical expression's branches are still children.
    const keepsChild = inJsxChild && (node.type === 'ConditionalExpression' || node.type === 'LogicalExpression');
    for (const [key, value] of Object.entries(node)) {
      if (key === 'test' && node.type === 'ConditionalExpression') {
        if (isNode(value)) walk(value, node, false);
        continue;
      }
      for (const child of Array.isArray(value) ? value : [value])
        if (isNode(child)) walk(child, node, keepsChild || (node.type.startsWith('JSX') && inJsxChild));
    }
  }
  walk(ast, undefined, false);
  return found;
}

const files = UI_DIRS.flatMap(uiFiles);

describe('UI components take their words from the catalogue', () => {
  it('finds the UI files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)('%s has no user-visible literal outside the catalogue', (file) => {
    expect(offences(file)).toEqual([]);
  });

  it('flags JSX text, visible attributes and sentences, and lets keys, codes and class names pass', () => {
    const probe = `
      import { t } from './i18n';
      const TABLE = { a: 'Two words here' };
      export function Probe({ on, n }: { on: boolean; n: number }) {
        if (n === 'Not text') return null;
        return (
          <div class="some class" data-testid="probe" title="Visible title" aria-label={t('key_name')}>
            Hello
            {on ? 'Yes' : t('other_key')}
            {\`\${n} items\`}
            <input placeholder={\`Type \${n}\`} type="text" />
            {t('with_args', n)}
          </div>
        );
      }`;
    expect(offences('probe.tsx', probe).map((o) => o.text)).toEqual(['Two words here', 'Visible title', 'Hello', 'Yes', 'items', 'Type']);
  });
});

// One token's workbench: the editor's text, the token it makes, the presets' settings and the replay
// answers. The editor and the panel's replay buttons (inside the sightings) read the same session. The
// page holds no signing key: signing and the presets that need a private key are the worker's
// (src/background/workbench-handler.ts).
import { ATTACK_IDS, type AttackId } from '../../core/workbench/attacks';
import { compactToken, splitCompact } from '../../core/workbench/segments';
import { MAX_EDITOR_CHARS, parseHeaderText, parseJsonText } from '../../core/workbench/editor-json';
import { decodeToken } from '../../core/decode';
import { isJsonObject } from '../../core/is-json-object';
import type { JsonObject } from '../../core/types';
import type { PresetRequest, Request, ResponseFor } from '../../messages';
import { t } from '../i18n';

export type SignMode = 'keep' | 'none' | 'sign';
export type Ask = <R extends Request>(request: R) => Promise<ResponseFor<R>>;

/** `edited` or the preset that made the token: what a replay result is labelled with (data-attack). */
export type TokenLabel = 'edited' | AttackId;

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** The editor's text for a value, or undefined when it is too large or too deep to print. */
function printable(v: unknown): string | undefined {
  try {
    const text = pretty(v);
    return text.length <= MAX_EDITOR_CHARS ? text : undefined;
  } catch {
    return undefined;
  }
}
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class WorkbenchSession {
  headerText: string;
  payloadText: string;
  headerError: { message: string; line?: number } | undefined;
  payloadError: { message: string; line?: number } | undefined;
  mode: SignMode = 'keep';
  signKeyId: string | undefined;
  token: string;
  label: TokenLabel = 'edited';
  /** Why the last sign or preset failed. */
  problem: string | undefined;
  busy = false;
  /** Too large or too deep to edit: nothing is built from this token. */
  tooLarge = false;
  /** hs-rs-confusion: a stored verification key, or a public key typed here. */
  publicKeyId: string | undefined;
  publicKeyText = '';
  /** jku-injection: the user's own URL. */
  url = '';
  readonly variants: Partial<Record<AttackId, string>> = {};
  private header: JsonObject | undefined;
  private payload: unknown;
  private readonly listeners = new Set<() => void>();
  private generation = 0;

  constructor(
    readonly original: string,
    private readonly ask: Ask,
    /** The secret the weak-secret check found for this token (weak-secret-resign). */
    public weakSecret?: string,
  ) {
    this.token = original;
    const d = decodeToken(original);
    this.header = d.ok && isJsonObject(d.header) ? d.header : { alg: 'HS256', typ: 'JWT' };
    this.payload = d.ok && d.payload !== undefined ? d.payload : {};
    // A hostile token may be too large or too deep to edit (JSON.stringify overflows its stack on deep
    // nesting): the workbench then says so and edits nothing, and the detail around it still shows.
    const header = printable(this.header);
    const payload = printable(this.payload);
    this.headerText = header ?? '';
    this.payloadText = payload ?? '';
    if (header === undefined || payload === undefined) {
      this.tooLarge = true;
      this.headerError = { message: t('workbench_too_large', MAX_EDITOR_CHARS) };
    }
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  get valid(): boolean {
    return !this.tooLarge && !this.headerError && !this.payloadError;
  }

  setHeaderText(text: string): void {
    this.headerText = text;
    const parsed = parseHeaderText(text);
    this.headerError = parsed.ok ? undefined : { message: parsed.message, ...(parsed.ok ? {} : { line: parsed.line }) };
    if (parsed.ok) this.header = parsed.value;
    void this.rebuild();
  }

  setPayloadText(text: string): void {
    this.payloadText = text;
    const parsed = parseJsonText(text);
    this.payloadError = parsed.ok ? undefined : { message: parsed.message, ...(parsed.ok ? {} : { line: parsed.line }) };
    if (parsed.ok) this.payload = parsed.value;
    void this.rebuild();
  }

  /** Claim helpers: a claim set to a value (undefined removes it). */
  setClaim(name: string, value: unknown): void {
    if (!this.valid || !isJsonObject(this.payload)) return;
    const next: JsonObject = { ...this.payload };
    if (value === undefined) delete next[name];
    else next[name] = value;
    this.setPayloadText(pretty(next));
  }

  setMode(mode: SignMode, keyId?: string): void {
    this.mode = mode;
    if (keyId !== undefined) this.signKeyId = keyId;
    void this.rebuild();
  }

  setPresetOptions(options: { publicKeyId?: string | undefined; publicKeyText?: string; url?: string }): void {
    if ('publicKeyId' in options) this.publicKeyId = options.publicKeyId;
    if (options.publicKeyText !== undefined) this.publicKeyText = options.publicKeyText;
    if (options.url !== undefined) this.url = options.url;
    this.notify();
  }

  setVariant(attack: AttackId, variant: string): void {
    this.variants[attack] = variant;
    this.notify();
  }

  /** The token the editor makes in the chosen signature mode. */
  private async rebuild(): Promise<void> {
    const generation = ++this.generation;
    this.label = 'edited';
    this.problem = undefined;
    if (!this.valid || !this.header) {
      this.notify();
      return;
    }
    if (this.mode === 'keep') this.token = compactToken(this.header, this.payload, splitCompact(this.original)?.signature ?? '');
    else if (this.mode === 'none') this.token = compactToken(this.header, this.payload, '');
    else {
      this.notify();
      if (!this.signKeyId) {
        this.problem = t('workbench_pick_key');
      } else {
        try {
          const { token } = await this.ask({ type: 'workbench/sign', header: this.header, payload: this.payload, keyId: this.signKeyId });
          if (generation !== this.generation) return;
          this.token = token;
        } catch (e) {
          if (generation !== this.generation) return;
          this.problem = errorText(e);
        }
      }
    }
    this.notify();
  }

  private presetRequest(attack: AttackId): PresetRequest | undefined {
    if (!this.valid || !this.header) return undefined;
    const variant = this.variants[attack];
    return {
      type: 'workbench/preset',
      attack,
      header: this.header,
      payload: this.payload,
      original: this.original,
      ...(variant ? { variant } : {}),
      ...(this.publicKeyText.trim() ? { publicKey: this.publicKeyText } : this.publicKeyId ? { publicKeyId: this.publicKeyId } : {}),
      ...(this.url.trim() ? { url: this.url.trim() } : {}),
      ...(this.weakSecret !== undefined ? { weakSecret: this.weakSecret } : {}),
    };
  }

  /** A preset's token for the editor's header and payload; throws (with the worker's words) when it cannot be made. */
  async presetToken(attack: AttackId): Promise<string> {
    const request = this.presetRequest(attack);
    if (!request) throw new Error(t('workbench_fix_json_first'));
    return (await this.ask(request)).token;
  }

  /** Makes the preset's token the workbench token. */
  async applyPreset(attack: AttackId): Promise<void> {
    const generation = ++this.generation;
    this.busy = true;
    this.problem = undefined;
    this.notify();
    try {
      const token = await this.presetToken(attack);
      if (generation !== this.generation) return;
      this.token = token;
      this.label = attack;
    } catch (e) {
      if (generation === this.generation) this.problem = errorText(e);
    } finally {
      this.busy = false;
      this.notify();
    }
  }
}

export { ATTACK_IDS };

import { useMemo, useState, useEffect } from 'preact/hooks';
import { analyze, decodeToken } from '../core';
import { normalizeTokenInput } from '../core/normalize';
import type { KeyInput, Verification } from '../core/types';
import { JsonView, jsonText } from './JsonView';
import { FindingList } from './FindingList';
import { VerificationView } from './VerificationView';
import { CopyButton } from './CopyButton';

export type VerifyFn = (token: string, inlineKey?: KeyInput) => Promise<Verification>;

interface Props {
  initial?: string;
  verify?: VerifyFn;
}

/** The quick decoder shared by the popup and the full-page decoder. */
export function Decoder({ initial = '', verify }: Props) {
  const [text, setText] = useState(initial);
  const token = useMemo(() => normalizeTokenInput(text), [text]);
  const decoded = useMemo(() => (token ? decodeToken(token) : undefined), [token]);
  const findings = useMemo(() => (decoded?.ok ? analyze(decoded) : []), [decoded]);

  useEffect(() => setText(initial), [initial]);

  return (
    <div class="decoder">
      <label class="field">
        <span>Token</span>
        <textarea
          data-testid="token-input"
          rows={5}
          spellcheck={false}
          placeholder="Paste a JWT (Bearer prefix, quotes and line breaks are fine)"
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      {decoded && !decoded.ok && (
        <p class="error" role="alert" data-testid="decode-error" data-code={decoded.error.code}>
          {decoded.error.message}
        </p>
      )}
      {decoded?.ok && (
        <>
          <div class="row">
            <CopyButton text={token} label="Copy token" testId="copy-token" />
            <CopyButton text={jsonText(decoded.header)} label="Copy header" />
            {decoded.kind !== 'jwe' && (
              <CopyButton text={typeof decoded.payload === 'string' ? decoded.payload : jsonText(decoded.payload)} label="Copy payload" />
            )}
          </div>
          <p class="parts" data-testid="token-parts">
            {decoded.parts.map((p, i) => (
              <span class={`part part-${i}`} key={i}>
                {p.length > 200 ? `${p.slice(0, 200)}…` : p}
                {i < decoded.parts.length - 1 && <span class="punct">.</span>}
              </span>
            ))}
          </p>
          <section>
            <h2>Header</h2>
            <JsonView value={decoded.header} catalogue="header" testId="decoded-header" />
          </section>
          <section>
            <h2>Payload</h2>
            {decoded.kind === 'jwe' ? (
              <p class="muted" data-testid="decoded-payload">Encrypted (JWE): the payload cannot be read without the recipient's key.</p>
            ) : (
              <JsonView value={decoded.payload} catalogue="claims" testId="decoded-payload" />
            )}
          </section>
          {verify && <VerificationView token={token} verify={verify} />}
          <section>
            <h2>Findings</h2>
            <FindingList findings={findings} />
          </section>
        </>
      )}
    </div>
  );
}

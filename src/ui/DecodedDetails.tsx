import { useMemo } from 'preact/hooks';
import { analyze } from '../core/analyze';
import type { DecodedTokenSuccess } from '../core/types';
import { DecodedTokenView } from './DecodedToken';
import { FindingList } from './FindingList';
import { VerificationView } from './VerificationView';
import type { VerifyFn } from './Decoder';
import { t } from './i18n';

// The decoder's chunk carries decoding too: the popup's first paint needs none of it.
export { decodeToken } from '../core/decode';
export { normalizeTokenInput } from '../core/normalize';

/** What the decoder shows of a token that decodes: its parts, the verdict and the findings. */
export function DecodedDetails({ token, decoded, verify }: { token: string; decoded: DecodedTokenSuccess; verify?: VerifyFn }) {
  const findings = useMemo(() => analyze(decoded), [decoded]);
  return (
    <>
      <DecodedTokenView token={token} decoded={decoded} />
      {verify && <VerificationView token={token} verify={verify} />}
      <section>
        <h2>{t('common_findings')}</h2>
        <FindingList findings={findings} />
      </section>
    </>
  );
}

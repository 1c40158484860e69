import { useState } from 'preact/hooks';
import { copyText } from './copy';
import { t } from './i18n';

export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [done, setDone] = useState<boolean | undefined>();
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={async () => {
        setDone(await copyText(text));
        setTimeout(() => setDone(undefined), 1500);
      }}
    >
      {done === undefined ? label : done ? t('common_copied') : t('common_copy_failed')}
    </button>
  );
}

/** A multi-line field for tokens and keys: no spell-checking (they are not words), the value as a string. */
export function TextArea(props: {
  value: string;
  onValue(value: string): void;
  rows: number;
  placeholder?: string;
  'data-testid': string;
}) {
  const { value, onValue, ...rest } = props;
  return <textarea {...rest} spellcheck={false} value={value} onInput={(e) => onValue((e.target as HTMLTextAreaElement).value)} />;
}

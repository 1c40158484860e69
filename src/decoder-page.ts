/** The full-page decoder (the popup's page in a tab) showing `token`: opened by the popup and the context menu. */
export function decoderPagePath(token: string): string {
  return `src/popup/index.html?page=1#token=${encodeURIComponent(token)}`;
}

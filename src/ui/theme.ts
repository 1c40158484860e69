/** Pages follow the browser's colour scheme unless told otherwise (the panel passes DevTools' theme). */
export function applyTheme(theme?: 'light' | 'dark' | 'default'): void {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

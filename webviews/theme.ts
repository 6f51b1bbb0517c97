/**
 * VS Code switches themes by changing the body class (vscode-light, vscode-dark,
 * vscode-high-contrast, vscode-high-contrast-light) and the --vscode-* variables on <html>.
 * SVG and HTML follow through CSS; canvases must repaint, which happens in the mutation
 * callback (a microtask), so the next painted frame already has the new colours.
 */
export function onThemeChange(repaint: () => void): void {
  const observer = new MutationObserver(() => repaint());
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
}

// The ARIA tab pattern's keys on top of <vscode-tabs>: it moves the focus with ←/→ and
// selects on Enter; here the tab also follows the focus (automatic activation: every panel
// renders at once), Home/End go to the first/last tab and Space selects like Enter.

export function tabKeys(tabs: HTMLElement, select: (index: number) => void): void {
  tabs.addEventListener('keydown', (e) => {
    const headers = [...tabs.querySelectorAll<HTMLElement>('vscode-tab-header')];
    const from = headers.indexOf((e.target as HTMLElement).closest('vscode-tab-header') as HTMLElement);
    if (from < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    let to: number;
    switch (e.key) {
      // <vscode-tabs> has already moved the focus (its handler runs inside its shadow root first)
      case 'ArrowLeft': case 'ArrowRight': to = headers.indexOf(document.activeElement as HTMLElement); break;
      case 'Home': to = 0; break;
      case 'End': to = headers.length - 1; break;
      case ' ': to = from; break;
      default: return;
    }
    if (to < 0) return;
    e.preventDefault();
    select(to);
    // a roving tabindex: a header that was never active has no tabindex yet, and cannot take the focus
    headers.forEach((x, k) => { x.tabIndex = k === to ? 0 : -1; });
    headers[to].focus();
  });
}

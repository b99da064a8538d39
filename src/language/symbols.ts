// Outline, references and rename over the checker's symbol table (CheckResult.symbols).
// Pure: the VS Code providers only convert ranges and kinds.

import type { Range } from './ast';
import type { CheckResult, SymbolInfo } from './checker';
import { KEYWORDS, RESERVED_OBJECT_NAMES } from './keywords';

export interface OutlineNode {
  name: string;
  kind: SymbolInfo['kind'];
  detail: string;
  /** the declaring line, whole */
  range: Range;
  /** the declared name */
  selectionRange: Range;
  children: OutlineNode[];
}

function lineRange(r: Range, lineLength?: (line: number) => number): Range {
  const end = lineLength ? lineLength(r.start.line) : r.end.character;
  return { start: { line: r.start.line, character: 0 }, end: { line: r.start.line, character: Math.max(end, r.end.character) } };
}

function detailOf(s: SymbolInfo): string {
  switch (s.kind) {
    case 'process': return s.parent ? `process, forked from ${s.parent}` : 'process';
    case 'object': return `${s.objKind ?? 'object'}${s.pages !== undefined ? `, ${s.pages} pages` : ''}`;
    case 'label': return `${s.shared ? 'shared' : 'private'} mapping of ${s.mapsObject ?? '?'}${s.pages !== undefined ? `, ${s.pages} pages` : ''}`;
    case 'pipe': return 'pipe (vmsplice)';
    case 'buffer': return 'pinned buffer (pin)';
  }
}

/**
 * The outline: objects, then processes with the mappings (labels) each declared as
 * children, in declaration order.
 */
export function documentOutline(check: CheckResult, lineLength?: (line: number) => number): OutlineNode[] {
  const node = (s: SymbolInfo): OutlineNode => ({
    name: s.name, kind: s.kind, detail: detailOf(s), range: lineRange(s.decl, lineLength), selectionRange: s.decl, children: [],
  });
  const objects: OutlineNode[] = [];
  const procs = new Map<string, OutlineNode>();
  const orphans: OutlineNode[] = [];
  for (const s of check.symbols) {
    if (s.kind === 'object' || s.kind === 'pipe' || s.kind === 'buffer') objects.push(node(s));
    else if (s.kind === 'process' && !procs.has(s.name)) procs.set(s.name, node(s));
  }
  for (const s of check.symbols) {
    if (s.kind !== 'label') continue;
    const p = s.proc ? procs.get(s.proc) : undefined;
    (p ? p.children : orphans).push(node(s));
  }
  const byLine = (a: OutlineNode, b: OutlineNode) => a.range.start.line - b.range.start.line;
  return [...objects, ...procs.values(), ...orphans].sort(byLine);
}

/** Declaration and every use of the symbol at (line, character), declaration first. */
export function referencesAt(check: CheckResult, line: number, character: number, includeDeclaration = true): Range[] {
  const s = check.symbolAt(line, character);
  if (!s) return [];
  return includeDeclaration ? [s.decl, ...s.refs] : [...s.refs];
}

export const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Why `newName` cannot replace symbol `s`, or undefined when it can. */
export function renameProblem(check: CheckResult, s: SymbolInfo, newName: string): string | undefined {
  if (!NAME_RE.test(newName)) return `'${newName}' is not a name ([A-Za-z_][A-Za-z0-9_-]*)`;
  if (KEYWORDS.has(newName)) return `'${newName}' is a keyword`;
  if ((RESERVED_OBJECT_NAMES as readonly string[]).includes(newName)) return `'${newName}' is reserved`;
  if (newName === s.name) return undefined;
  const clash = check.symbols.find((o) => o !== s && o.name === newName
    && (s.kind === 'label' ? o.kind === 'label' && o.proc === s.proc : o.kind !== 'label'));
  if (clash) return `'${newName}' is already declared (line ${clash.decl.start.line + 1})`;
  return undefined;
}

export type RenameResult = { ok: true; ranges: Range[]; symbol: SymbolInfo } | { ok: false; message: string };

/** The ranges to replace to rename the symbol at (line, character) to `newName`. */
export function renameAt(check: CheckResult, line: number, character: number, newName: string): RenameResult {
  const s = check.symbolAt(line, character);
  if (!s) return { ok: false, message: 'only processes, objects and mapping labels can be renamed' };
  const problem = renameProblem(check, s, newName);
  if (problem) return { ok: false, message: problem };
  // a label inherited through fork is one symbol per declaring process: rename all labels
  // of that name reachable from the same declaration
  return { ok: true, ranges: [s.decl, ...s.refs], symbol: s };
}

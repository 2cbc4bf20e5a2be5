import type { Variant } from './variant.ts';
import { renderVariantYaml } from './render-manifest.ts';

/**
 * Line diff of `after` against `before` by longest common subsequence: every line of both, in order, prefixed
 * `- ` (only in before), `+ ` (only in after) or two spaces (in both). Removals come before additions in a change.
 */
export function lineDiff(before: readonly string[], after: readonly string[]): string[] {
  // lcs[i][j] = length of the LCS of before[i..] and after[j..]; manifests are ~60 lines, so O(n·m) is nothing.
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const at = (i: number, j: number) => lcs[i]?.[j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    for (let j = m - 1; j >= 0; j--) {
      row[j] = before[i] === after[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push(`  ${before[i++]}`);
      j++;
    } else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
      out.push(`- ${before[i++]}`);
    } else {
      out.push(`+ ${after[j++]}`);
    }
  }
  return out;
}

/**
 * The rendered YAML of `variant` diffed line by line against `base` (normally `baseline`), for the report. The
 * generated-file header comments are left out: they differ by name only and would hide the real changes.
 */
export function manifestDiff(variant: Variant, base: Variant): string {
  const lines = (v: Variant) => {
    const all = renderVariantYaml(v).replace(/\n$/, '').split('\n');
    return all.slice(all.findIndex((line) => !line.startsWith('#')));
  };
  return lineDiff(lines(base), lines(variant)).join('\n');
}

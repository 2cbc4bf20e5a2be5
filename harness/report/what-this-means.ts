import { summarizeVerdicts, type VerdictRow } from '../analysis/verdicts.ts';
import type { ResultsFile } from '../model/results.ts';
import type { Bilingual } from '../variants/variant.ts';
import { formatPercent } from './format.ts';
import { RECOMMENDED_MARK } from './reading-guide.ts';

const int = (n: number) => n.toLocaleString('en-US');

interface VariantTotal {
  variant: string;
  requests: number;
  failed: number;
  scenarios: number;
  expectedSafe: boolean;
}

function totals(rows: VerdictRow[]): VariantTotal[] {
  const byVariant = new Map<string, VariantTotal>();
  for (const r of rows) {
    const t = byVariant.get(r.variant) ?? {
      variant: r.variant,
      requests: 0,
      failed: 0,
      scenarios: 0,
      expectedSafe: r.expectedSafe,
    };
    t.requests += r.requests;
    t.failed += r.failed;
    t.scenarios += 1;
    byVariant.set(r.variant, t);
  }
  return [...byVariant.values()];
}

/**
 * One plain sentence per language saying what the run shows: how the recommended variant did, and which variant lost
 * the most. Plain text (no links, no markup), for the top of the report and for summary.md.
 */
export function whatThisMeans(results: ResultsFile): Bilingual {
  const all = totals(summarizeVerdicts(results)).filter((t) => t.requests > 0);
  if (all.length === 0) {
    return {
      en: 'No request was measured, so this run shows nothing yet.',
      ja: 'リクエストが計測されていないため、この実行からは何も言えません。',
    };
  }
  const en: string[] = [];
  const ja: string[] = [];
  for (const t of all.filter((v) => v.expectedSafe)) {
    const sc = t.scenarios === 1 ? '1 scenario' : `${t.scenarios} scenarios`;
    if (t.failed === 0) {
      en.push(`The recommended ${RECOMMENDED_MARK} ${t.variant} lost none of ${int(t.requests)} requests (${sc}).`);
      ja.push(
        `推奨バリアント ${RECOMMENDED_MARK} ${t.variant} は ${int(t.requests)} 件のリクエストを 1 件も失いませんでした（${t.scenarios} シナリオ）。`,
      );
    } else {
      en.push(
        `The recommended ${RECOMMENDED_MARK} ${t.variant} lost ${int(t.failed)} of ${int(t.requests)} requests (${sc}): check the run.`,
      );
      ja.push(
        `推奨バリアント ${RECOMMENDED_MARK} ${t.variant} が ${int(t.requests)} 件中 ${int(t.failed)} 件を失いました（${t.scenarios} シナリオ）。実行内容を確認してください。`,
      );
    }
  }
  const worst = [...all].sort((a, b) => b.failed / b.requests - a.failed / a.requests)[0];
  if (worst !== undefined && worst.failed > 0) {
    const rate = formatPercent(worst.failed / worst.requests);
    en.push(`${worst.variant} lost the most: ${int(worst.failed)} of ${int(worst.requests)} (${rate}).`);
    ja.push(
      `最も多く失ったのは ${worst.variant} で、${int(worst.requests)} 件中 ${int(worst.failed)} 件（${rate}）でした。`,
    );
  } else {
    en.push('No variant lost a request.');
    ja.push('どのバリアントもリクエストを失いませんでした。');
  }
  return { en: en.join(' '), ja: ja.join('') };
}

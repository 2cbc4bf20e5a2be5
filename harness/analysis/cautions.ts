import type { ResultsFile } from '../model/results.ts';
import { describeFailedHooks } from './failed-hooks.ts';
import { describeLoadShortfall } from './load-shortfall.ts';
import { describeStarvation } from './machine-starved.ts';
import { describeUnsplitCauses } from './unsplit-causes.ts';

/** One kind of caution about a run's numbers: a bilingual heading and one line per cell it concerns. */
export interface Caution {
  en: string;
  ja: string;
  lines: string[];
}

/** The cautions the console, the report and summary.md all show, in one order; only those that apply. */
export function describeCautions(results: ResultsFile): Caution[] {
  const all: Caution[] = [
    {
      en: 'The load generator fell short of the asked rate:',
      ja: '負荷生成器が指定レートを送り切れませんでした:',
      lines: describeLoadShortfall(results),
    },
    {
      en: 'The machine was short of CPU during these cells:',
      ja: 'これらのセルの実行中、マシンの CPU が不足していました:',
      lines: describeStarvation(results),
    },
    {
      en: 'Refused and reset could not be told apart in these cells:',
      ja: 'これらのセルでは refused と reset を区別できませんでした:',
      lines: describeUnsplitCauses(results),
    },
    {
      en: 'A preStop hook failed in these cells:',
      ja: 'これらのセルで preStop フックが失敗しました:',
      lines: describeFailedHooks(results),
    },
  ];
  return all.filter((c) => c.lines.length > 0);
}

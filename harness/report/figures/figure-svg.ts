import type { ResultsFile } from '../../model/results.ts';
import { escapeXml } from '../escape.ts';
import { textWidth } from './text-width.ts';

/**
 * What every standalone figure shares: one language per file, an 800-unit frame drawn 1:1 at 800 px, its styles in
 * its own <style> (nothing outside the file: no script, no external reference, no embedded font), a white background,
 * a <title> and <desc> for screen readers, and a header of wrapped lines.
 */

/** A figure's language: a course page is in one. */
export type FigureLanguage = 'en' | 'ja';

export const FIGURE_LANGUAGES: readonly FigureLanguage[] = ['en', 'ja'];

/** Width of every figure, SVG units = px at its natural size. */
export const FIGURE_WIDTH = 800;

/** Left and right margin of a figure's text. */
export const MARGIN = 16;

/** Fonts that render Japanese on common systems (no font file is embedded); Latin text prefers the system UI font. */
export function fontFamily(lang: FigureLanguage): string {
  const cjk = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo';
  return lang === 'ja'
    ? `${cjk}, sans-serif`
    : `system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, ${cjk}, sans-serif`;
}

/** Monospace fonts for pod names. */
export const MONO_FAMILY = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace';

/** Styles of the header lines every figure has (class names used by figureHeader). */
export const HEADER_STYLE =
  '.fig-title { font-size: 17px; font-weight: 700; fill: #1f2328; } ' +
  '.fig-sub { font-size: 12.5px; fill: #57606a; } ' +
  '.fig-note { font-size: 12px; fill: #57606a; }';

/** A number with at most one decimal, for coordinates. */
export function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Seconds with two decimals in the figure's language: `2.55 s` / `2.55 秒`. */
export function seconds(ms: number, lang: FigureLanguage): string {
  const s = (ms / 1000).toFixed(2);
  return lang === 'en' ? `${s} s` : `${s} 秒`;
}

/**
 * `text` broken into lines no wider than `maxWidth` at `fontSize`: at spaces, and between wide (CJK) characters, which
 * Japanese breaks anywhere. A word longer than a line stays whole.
 */
export function wrapText(text: string, fontSize: number, maxWidth: number): string[] {
  // Pieces that may not be split: runs of narrow characters with their trailing space, or single wide characters.
  const pieces = text.match(/[^\s\u3000-\u9fff\uff00-\uffef]+\s*|[\u3000-\u9fff\uff00-\uffef]\s*|\s+/gu) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces) {
    if (line !== '' && textWidth((line + piece).trimEnd(), fontSize) > maxWidth) {
      lines.push(line.trimEnd());
      line = piece.trimStart();
    } else {
      line += piece;
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}

/** One line of a figure's header: plain text and the class that sizes it. */
export interface HeaderLine {
  text: string;
  cls: 'fig-title' | 'fig-sub' | 'fig-note';
}

const HEADER_SIZES: Record<HeaderLine['cls'], number> = { 'fig-title': 17, 'fig-sub': 12.5, 'fig-note': 12 };

/** Lines of text from `y` (the top) down, wrapped to the figure's width; returns the markup and the height used. */
export function textBlock(lines: readonly HeaderLine[], y: number, x = MARGIN): { svg: string; height: number } {
  const out: string[] = [];
  let baseline = y;
  for (const { text, cls } of lines) {
    const size = HEADER_SIZES[cls];
    for (const part of wrapText(text, size, FIGURE_WIDTH - x - MARGIN)) {
      baseline += Math.round(size * 1.35);
      out.push(`<text x="${x}" y="${baseline}" class="${cls}">${escapeXml(part)}</text>`);
    }
    baseline += 2;
  }
  return { svg: out.join(''), height: baseline - y + 4 };
}

/** The platform as a course reader needs it: emulated or a real cluster, and which. */
export function platformWords(platform: ResultsFile['platform']): { en: string; ja: string } {
  const context = platform.versions.context;
  if (platform.emulated) {
    return {
      en: `emulated cluster (${platform.name} platform)`,
      ja: `エミュレーション（${platform.name} プラットフォーム）`,
    };
  }
  const which = context === undefined ? platform.name : `context ${context}`;
  return { en: `real cluster (${which})`, ja: `実クラスタ（${which}）` };
}

/** Everything a standalone figure file holds besides its drawing. */
export interface StandaloneFigure {
  lang: FigureLanguage;
  height: number;
  /** The figure's accessible name and description (plain text). */
  title: string;
  description: string;
  /** The figure's own CSS (no `<` or `&`: it sits in an XML element). */
  style: string;
  /** The drawing (markup). */
  body: string;
}

/** Drawings escape data for HTML; XML 1.0 also forbids most control characters, even as references. */
function withoutControlCharacters(markup: string): string {
  return markup.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd'); // eslint-disable-line no-control-regex
}

/** A complete SVG file: XML declaration, namespace, viewBox at FIGURE_WIDTH, fonts, background. */
export function standaloneSvg(figure: StandaloneFigure): string {
  const h = Math.ceil(figure.height);
  const style =
    `svg.drainlab-figure { font-family: ${fontFamily(figure.lang)}; font-size: 12px; } ` +
    `${HEADER_STYLE} ${figure.style}`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" class="drainlab-figure" width="${FIGURE_WIDTH}" height="${h}" ` +
    `viewBox="0 0 ${FIGURE_WIDTH} ${h}" xml:lang="${figure.lang}" role="img" aria-labelledby="fig-title fig-desc">\n` +
    `<title id="fig-title">${escapeXml(figure.title)}</title>\n` +
    `<desc id="fig-desc">${escapeXml(figure.description)}</desc>\n` +
    `<style>${style}</style>\n` +
    `<rect width="${FIGURE_WIDTH}" height="${h}" fill="#fff"/>\n` +
    `${withoutControlCharacters(figure.body)}\n</svg>\n`
  );
}

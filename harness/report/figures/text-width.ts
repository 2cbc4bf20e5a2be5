/**
 * A rough width of text in an SVG, for laying out labels without a browser: a figure is written by the harness, not
 * measured in one. Wide (CJK, full-width) characters count as one em, narrow ones as about 0.6 em, which errs on the
 * wide side for common sans-serif fonts, so labels placed apart by it do not touch.
 */

/** Full-width and CJK characters: Hiragana, Katakana, CJK ideographs and symbols, full-width forms. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Estimated width of `text` at `fontSize` px, in px. */
export function textWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const ch of text)
    ems += WIDE.test(ch) ? 1 : /[ilj.,:;'|!()[\]\s]/.test(ch) ? 0.34 : /[A-Z@%&mwMW—–]/.test(ch) ? 0.72 : 0.58;
  return ems * fontSize;
}

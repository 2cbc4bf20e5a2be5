import type { Bilingual } from '../variants/variant.ts';
import { escapeHtml } from './escape.ts';

/**
 * Both languages of a piece of UI, as two elements with `lang` attributes: the page's stylesheet shows the one that
 * matches the class on <html> (`lang-ja` / `lang-en`), so switching language needs no re-rendering. `en` and `ja`
 * are HTML already (escape data with escapeHtml first); `tag` is the element that wraps each.
 */
export function bi(en: string, ja: string, tag: 'span' | 'p' | 'div' | 'tspan' = 'span'): string {
  return `<${tag} lang="en">${en}</${tag}><${tag} lang="ja">${ja}</${tag}>`;
}

/** Plain bilingual text, escaped. */
export function biText(text: Bilingual, tag: 'span' | 'p' | 'div' | 'tspan' = 'span'): string {
  return bi(escapeHtml(text.en), escapeHtml(text.ja), tag);
}

/** Plain text, escaped, with Markdown-style `code` spans shown as <code> (texts shared with summary.md). */
export function codeHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Plain bilingual text with `code` spans, see codeHtml. */
export function biCode(text: Bilingual, tag: 'span' | 'p' | 'div' | 'tspan' = 'span'): string {
  return bi(codeHtml(text.en), codeHtml(text.ja), tag);
}

/** One line for an SVG <title> or a tooltip: both languages, because a title cannot follow the switch. */
export function biTitle(en: string, ja: string): string {
  return escapeHtml(`${en}\n${ja}`);
}

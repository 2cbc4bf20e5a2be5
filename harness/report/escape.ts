/**
 * Escaping for the three output formats. Every string that comes from data (variant names, pod names, errors,
 * versions) goes through one of these: results.json may come from anywhere, and a report must render it as text.
 */

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in HTML element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] ?? ch);
}

/**
 * Text safe in XML 1.0 content and attributes. Control characters other than tab, newline and carriage return are
 * not allowed in XML 1.0 even as character references, so they become U+FFFD rather than breaking the document.
 */
export function escapeXml(value: unknown): string {
  return String(value)
    .replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] ?? ch)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd'); // eslint-disable-line no-control-regex
}

/** Text safe inside one GitHub-flavoured Markdown table cell: no column breaks, no line breaks. */
export function escapeMarkdownCell(value: unknown): string {
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');
}

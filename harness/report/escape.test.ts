import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdownCell, escapeXml } from './escape.ts';

describe('escapeHtml', () => {
  it('escapes the five significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('turns a hostile name into inert text and stringifies non-strings', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(null)).toBe('null');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('escapeXml', () => {
  it('escapes markup and replaces characters XML 1.0 forbids', () => {
    expect(escapeXml('a<b & "c" \'d\'>')).toBe('a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;');
    expect(escapeXml('bell\u0007 esc\u001b tab\tnl\n')).toBe('bell\ufffd esc\ufffd tab\tnl\n');
  });
});

describe('escapeMarkdownCell', () => {
  it('keeps one cell one cell', () => {
    expect(escapeMarkdownCell('a|b')).toBe('a\\|b');
    expect(escapeMarkdownCell('line1\nline2\r\nline3')).toBe('line1 line2 line3');
    expect(escapeMarkdownCell('back\\|slash')).toBe('back\\\\\\|slash');
  });
});

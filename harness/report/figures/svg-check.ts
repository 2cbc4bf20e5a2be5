/**
 * Checks of a standalone figure for the tests (no XML library in the project): well-formed XML, and that it stands
 * alone — no script, no event handler, no reference outside the file, every `url(#id)` and `href="#id"` naming an id
 * the file has. Each returns one message per problem, empty when there is none.
 */

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*$/;
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);)/;

function attributeProblems(tag: string, attrs: string, at: number): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const rest = attrs.replace(
    /\s*([^\s=/]+)\s*=\s*("([^"]*)"|'([^']*)')/g,
    (_m, name: string, _q, dq?: string, sq?: string) => {
      const value = dq ?? sq ?? '';
      if (!NAME.test(name)) problems.push(`<${tag}> at ${at}: bad attribute name ${name}`);
      if (seen.has(name)) problems.push(`<${tag}> at ${at}: attribute ${name} twice`);
      seen.add(name);
      if (value.includes('<')) problems.push(`<${tag}> at ${at}: "<" in attribute ${name}`);
      if (ENTITY.test(value)) problems.push(`<${tag}> at ${at}: bare "&" in attribute ${name}`);
      return ' ';
    },
  );
  if (rest.trim() !== '') problems.push(`<${tag}> at ${at}: cannot read attributes ${JSON.stringify(rest.trim())}`);
  return problems;
}

/** Well-formedness problems of an XML document (elements, attributes, entities, one root). */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const body = text.replace(/^\uFEFF?<\?xml[^?]*\?>/, (m) => ' '.repeat(m.length));
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const chunk = body.slice(i, lt === -1 ? body.length : lt);
    if (ENTITY.test(chunk)) problems.push(`bare "&" in text at ${i}`);
    if (stack.length === 0 && chunk.trim() !== '') problems.push(`text outside the root element at ${i}`);
    if (lt === -1) break;
    if (body.startsWith('<!--', lt)) {
      const end = body.indexOf('-->', lt + 4);
      if (end === -1) return [...problems, `unclosed comment at ${lt}`];
      i = end + 3;
      continue;
    }
    if (body.startsWith('<![CDATA[', lt)) {
      const end = body.indexOf(']]>', lt);
      if (end === -1) return [...problems, `unclosed CDATA at ${lt}`];
      i = end + 3;
      continue;
    }
    const gt = body.indexOf('>', lt);
    if (gt === -1) return [...problems, `unclosed tag at ${lt}`];
    const raw = body.slice(lt + 1, gt);
    i = gt + 1;
    if (raw.startsWith('/')) {
      const name = raw.slice(1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> at ${lt} closes <${open ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = raw.endsWith('/');
    const m = /^([^\s/]+)([\s\S]*?)\/?$/.exec(raw);
    const name = m?.[1] ?? '';
    if (!NAME.test(name)) {
      problems.push(`bad element name ${JSON.stringify(name)} at ${lt}`);
      continue;
    }
    problems.push(...attributeProblems(name, m?.[2] ?? '', lt));
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) problems.push(`expected one root element, found ${roots}`);
  return problems;
}

/** Why a figure would not stand alone: scripts, handlers, outside references, references to missing ids. */
export function standaloneProblems(svg: string): string[] {
  const problems: string[] = [];
  if (/<script/i.test(svg)) problems.push('has a <script>');
  if ([...svg.matchAll(/<[^>]*>/g)].some((tag) => /\son[a-z]+\s*=/i.test(tag[0]))) {
    problems.push('has an event handler attribute');
  }
  if (/<(foreignObject|image|use|iframe|object|embed)\b/i.test(svg))
    problems.push('has an element that can load content');
  if (/@import|@font-face/i.test(svg)) problems.push('its style loads something');
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  for (const m of svg.matchAll(/(?:xlink:)?href="([^"]*)"/g)) {
    const ref = m[1]!;
    if (!ref.startsWith('#')) problems.push(`href to outside the file: ${ref}`);
    else if (!ids.has(ref.slice(1))) problems.push(`href to a missing id: ${ref}`);
  }
  for (const m of svg.matchAll(/url\(\s*['"]?([^'")]*)['"]?\s*\)/g)) {
    const ref = m[1]!;
    if (!ref.startsWith('#')) problems.push(`url() to outside the file: ${ref}`);
    else if (!ids.has(ref.slice(1))) problems.push(`url() to a missing id: ${ref}`);
  }
  for (const m of svg.matchAll(/aria-labelledby="([^"]*)"/g)) {
    for (const id of m[1]!.split(/\s+/)) if (!ids.has(id)) problems.push(`aria-labelledby names a missing id: ${id}`);
  }
  return problems;
}

/** The words a reader sees: every <text>'s content (titles and styles left out), lines joined by spaces. */
export function visibleText(svg: string): string {
  const unescape = (t: string) =>
    t
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)]
    .map((m) => unescape(m[1]!.replace(/<title>[\s\S]*?<\/title>/g, '').replace(/<[^>]+>/g, '')))
    .join(' ');
}

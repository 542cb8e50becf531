// A strict little XML reader for the tests: it throws on anything not well-formed (unbalanced or
// mismatched tags, unquoted or duplicate attributes, a bare < or & in text, several roots) and
// returns the element tree so tests can query structure.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`XML: bare '<' near offset ${where}`);
  if (/&(?!(#\d+|#x[0-9a-fA-F]+|\w+);)/.test(raw)) throw new Error(`XML: bare '&' near offset ${where}`);
  return raw.replace(/&(#\d+|#x[0-9a-fA-F]+|\w+);?/g, (m, ent: string) => {
    if (!m.endsWith(';')) throw new Error(`XML: unterminated entity ${m} near offset ${where}`);
    if (ent[0] === '#') return String.fromCodePoint(ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (!(ent in named)) throw new Error(`XML: unknown entity &${ent}; near offset ${where}`);
    return named[ent];
  });
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  const skipSpace = () => { while (i < src.length && /\s/.test(src[i])) i++; };
  skipSpace();
  if (src.startsWith('<?xml', i)) {
    const end = src.indexOf('?>', i);
    if (end < 0) throw new Error('XML: unterminated declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const chunk = src.slice(i, lt < 0 ? src.length : lt);
    if (chunk.includes('&') || chunk.trim() !== '') {
      if (stack.length === 0) throw new Error(`XML: text outside the root element near offset ${i}`);
      stack[stack.length - 1].text += decode(chunk, i);
    }
    if (lt < 0) break;
    i = lt + 1;
    if (src.startsWith('!--', i)) {
      const end = src.indexOf('-->', i);
      if (end < 0) throw new Error('XML: unterminated comment');
      i = end + 3;
      continue;
    }
    if (src[i] === '/') {
      const m = NAME.exec(src.slice(i + 1));
      const open = stack.pop();
      if (!m || !open || open.name !== m[0]) throw new Error(`XML: closing </${m?.[0]}> does not match <${open?.name}> near offset ${i}`);
      i += 1 + m[0].length;
      skipSpace();
      if (src[i] !== '>') throw new Error(`XML: expected '>' near offset ${i}`);
      i++;
      continue;
    }
    const m = NAME.exec(src.slice(i));
    if (!m) throw new Error(`XML: bad tag name near offset ${i}`);
    if (root !== undefined && stack.length === 0) throw new Error(`XML: a second root element <${m[0]}>`);
    const node: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    i += m[0].length;
    for (;;) {
      const before = i;
      skipSpace();
      if (src[i] === '/' && src[i + 1] === '>') { i += 2; break; }
      if (src[i] === '>') { i++; stack.push(node); break; }
      if (i === before) throw new Error(`XML: expected whitespace before an attribute near offset ${i}`);
      const a = NAME.exec(src.slice(i));
      if (!a) throw new Error(`XML: bad attribute name near offset ${i}`);
      i += a[0].length;
      skipSpace();
      if (src[i] !== '=') throw new Error(`XML: attribute ${a[0]} has no value near offset ${i}`);
      i++;
      skipSpace();
      const q = src[i];
      if (q !== '"' && q !== "'") throw new Error(`XML: unquoted value for ${a[0]} near offset ${i}`);
      const end = src.indexOf(q, i + 1);
      if (end < 0) throw new Error(`XML: unterminated value for ${a[0]}`);
      if (a[0] in node.attrs) throw new Error(`XML: duplicate attribute ${a[0]} on <${node.name}>`);
      node.attrs[a[0]] = decode(src.slice(i + 1, end), i);
      i = end + 1;
    }
    if (stack.length > 0 && stack[stack.length - 1] !== node) stack[stack.length - 1].children.push(node);
    else if (stack.length > 1) stack[stack.length - 2].children.push(node);
    if (root === undefined) root = node;
  }
  if (stack.length > 0) throw new Error(`XML: <${stack[stack.length - 1].name}> is never closed`);
  if (root === undefined) throw new Error('XML: no root element');
  return root;
}

/** Every element in document order. */
export function all(node: XmlElement): XmlElement[] {
  return [node, ...node.children.flatMap(all)];
}

export function find(node: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  return all(node).filter(pred);
}

export function hasClass(e: XmlElement, cls: string): boolean {
  return (e.attrs.class ?? '').split(/\s+/).includes(cls);
}

/** The text of an element and its descendants. */
export function textOf(e: XmlElement): string {
  return e.text + e.children.map(textOf).join('');
}

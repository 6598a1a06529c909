/**
 * A small strict reader of the XML WeChat posts: one `<xml>` root whose children are elements holding text
 * (`<CreateTime>1348831860</CreateTime>`), CDATA (`<Content><![CDATA[你好]]></Content>`) or, in a few events, further
 * elements (`<ScanCodeInfo><ScanType>…</ScanType></ScanCodeInfo>`, `<PicList><item>…</item></PicList>`).
 * No attributes, comments, DOCTYPE or entities beyond the five predefined ones and character references: WeChat sends
 * none, and refusing them keeps entity expansion and external entities out by construction.
 */
import type { LocalizedText } from '../../../nodes/contract';

export type XmlValue = string | XmlObject | XmlObject[];
export interface XmlObject {
  [tag: string]: XmlValue;
}

const PROBLEMS = {
  empty: { en: 'is empty', zh: '为空' },
  not_xml: { en: 'is not XML: it must start with <xml>', zh: '不是 XML：必须以 <xml> 开头' },
  root: { en: 'must have a single <xml> root element', zh: '必须只有一个 <xml> 根元素' },
  declaration: { en: 'has a malformed <?xml ?> declaration', zh: '的 <?xml ?> 声明格式错误' },
  forbidden: { en: 'contains a comment, DOCTYPE or processing instruction, which WeChat never sends', zh: '包含注释、DOCTYPE 或处理指令（微信从不发送这些内容）' },
  attributes: { en: 'has an element with attributes or a malformed tag', zh: '包含带属性的元素或格式错误的标签' },
  unclosed: { en: 'has an element that is never closed', zh: '包含未闭合的元素' },
  mismatch: { en: 'has a closing tag that does not match its opening tag', zh: '包含与开始标签不匹配的结束标签' },
  cdata: { en: 'has an unterminated CDATA section', zh: '包含未结束的 CDATA 段' },
  entity: { en: 'has an unknown or malformed entity (only &lt; &gt; &amp; &quot; &apos; and &#…; are allowed)', zh: '包含未知或格式错误的实体（仅允许 &lt; &gt; &amp; &quot; &apos; 和 &#…;）' },
  mixed: { en: 'has an element that mixes text and elements', zh: '包含同时含有文本和子元素的元素' },
  duplicate: { en: 'has the same element twice', zh: '包含重复的元素' },
  depth: { en: 'is nested too deeply', zh: '嵌套层级过深' },
  trailing: { en: 'has content after the closing </xml>', zh: '在 </xml> 之后还有内容' },
} as const;

export type XmlProblem = keyof typeof PROBLEMS;

export class WechatXmlError extends Error {
  override name = 'WechatXmlError';
  readonly i18n: LocalizedText;
  constructor(readonly problem: XmlProblem, readonly offset: number, readonly tag?: string) {
    const p = PROBLEMS[problem];
    const where = tag ? ` (<${tag}>, offset ${offset})` : ` (offset ${offset})`;
    const whereZh = tag ? `（<${tag}>，偏移 ${offset}）` : `（偏移 ${offset}）`;
    super(`${p.en}${where}`);
    this.i18n = { en: `${p.en}${where}`, 'zh-CN': `${p.zh}${whereZh}` };
  }
}

const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const MAX_DEPTH = 8;
/** Tags that repeat inside a list (PicList/item): they read as an array; any other repeated tag is refused. */
const LIST_ITEM = 'item';

function decodeEntities(text: string, offset: number): string {
  return text.replace(/&([^;&\s]{0,10});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new WechatXmlError('entity', offset);
    switch (name) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const code = /^#x([0-9a-fA-F]{1,6})$/.exec(name) ? parseInt(name.slice(2), 16) : /^#([0-9]{1,7})$/.test(name) ? parseInt(name.slice(1), 10) : NaN;
    if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new WechatXmlError('entity', offset);
    return String.fromCodePoint(code);
  });
}

/** Parses WeChat's XML; the children of `<xml>`. Throws WechatXmlError naming the problem. */
export function parseWechatXml(raw: string): XmlObject {
  let i = 0;
  const s = raw.replace(/^\uFEFF/, '');
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  };
  const name = (): string | undefined => {
    NAME.lastIndex = i;
    const m = NAME.exec(s);
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };

  /** An element starting at `<`: its name and value. */
  function element(depth: number): [string, XmlValue] {
    const start = i;
    i++; // '<'
    const tag = name();
    if (!tag) throw new WechatXmlError(s.startsWith('<!', start) || s.startsWith('<?', start) ? 'forbidden' : 'attributes', start);
    ws();
    if (s.startsWith('/>', i)) {
      i += 2;
      return [tag, ''];
    }
    if (s[i] !== '>') throw new WechatXmlError('attributes', start, tag);
    i++;
    if (depth > MAX_DEPTH) throw new WechatXmlError('depth', start, tag);
    const segments: { text: string; cdata: boolean }[] = [];
    const children: [string, XmlValue][] = [];
    for (;;) {
      if (i >= s.length) throw new WechatXmlError('unclosed', start, tag);
      if (s.startsWith('</', i)) {
        const at = i;
        i += 2;
        const closing = name();
        ws();
        if (closing !== tag || s[i] !== '>') throw new WechatXmlError('mismatch', at, tag);
        i++;
        break;
      }
      if (s.startsWith('<![CDATA[', i)) {
        const end = s.indexOf(']]>', i + 9);
        if (end < 0) throw new WechatXmlError('cdata', i, tag);
        segments.push({ text: s.slice(i + 9, end), cdata: true });
        i = end + 3;
        continue;
      }
      if (s.startsWith('<!', i) || s.startsWith('<?', i)) throw new WechatXmlError('forbidden', i, tag);
      if (s[i] === '<') {
        children.push(element(depth + 1));
        continue;
      }
      const next = s.indexOf('<', i);
      const end = next < 0 ? s.length : next;
      segments.push({ text: decodeEntities(s.slice(i, end), i), cdata: false });
      i = end;
    }
    // Whitespace between elements, or around a CDATA section, is layout.
    const sawCdata = segments.some((t) => t.cdata);
    const meaningful = segments.filter((t) => t.cdata || t.text.trim() !== '');
    if (children.length === 0) return [tag, (sawCdata ? meaningful : segments).map((t) => t.text).join('')];
    if (meaningful.length) throw new WechatXmlError('mixed', start, tag);
    return [tag, objectOf(children, start)];
  }

  function objectOf(children: [string, XmlValue][], at: number): XmlObject {
    const out: XmlObject = Object.create(null) as XmlObject;
    for (const [tag, value] of children) {
      if (tag === LIST_ITEM) {
        const list = (out[tag] ??= []) as XmlObject[];
        list.push(typeof value === 'string' ? { value } : (value as XmlObject));
      } else if (Object.prototype.hasOwnProperty.call(out, tag)) {
        throw new WechatXmlError('duplicate', at, tag);
      } else {
        out[tag] = value;
      }
    }
    return { ...out };
  }

  if (s.trim() === '') throw new WechatXmlError('empty', 0);
  ws();
  if (s.startsWith('<?xml', i)) {
    const end = s.indexOf('?>', i);
    if (end < 0) throw new WechatXmlError('declaration', i);
    i = end + 2;
    ws();
  }
  if (s.startsWith('<!', i) || s.startsWith('<?', i)) throw new WechatXmlError('forbidden', i);
  if (!s.startsWith('<xml', i) || !/[\s>/]/.test(s[i + 4] ?? '')) throw new WechatXmlError('not_xml', i);
  const [, root] = element(1);
  ws();
  if (i < s.length) throw new WechatXmlError(s[i] === '<' ? 'root' : 'trailing', i);
  if (typeof root !== 'string') return root as XmlObject;
  if (root.trim() !== '') throw new WechatXmlError('mixed', 0, 'xml');
  return {};
}

/** A top-level field as text, or undefined when absent or not text. */
export function textField(xml: XmlObject, tag: string): string | undefined {
  const v = Object.prototype.hasOwnProperty.call(xml, tag) ? xml[tag] : undefined;
  return typeof v === 'string' ? v : undefined;
}

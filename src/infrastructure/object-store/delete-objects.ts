import { S3Error } from './sigv4.ts';

export const MAX_DELETE_KEYS = 1000;

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

function malformed(detail: string): S3Error {
  return new S3Error('MalformedXML', 400, `The DeleteObjects body is not valid: ${detail}`);
}

/**
 * Decodes XML character data strictly: the five XML entities, character references and CDATA.
 * Anything else is refused rather than guessed at, so the keys checked are exactly the keys deleted.
 */
function decodeXmlText(text: string): string {
  let out = '';
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>|&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));|([<&])/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[1] !== undefined) out += m[1];
    else if (m[2] !== undefined || m[3] !== undefined) {
      const cp = m[2] !== undefined ? Number.parseInt(m[2], 16) : Number(m[3]);
      if (cp > 0x10ffff) throw malformed(`character reference ${m[0]} is out of range`);
      out += String.fromCodePoint(cp);
    } else if (m[4] !== undefined) out += { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[m[4]];
    else throw malformed(m[5] === '&' ? 'only the XML entities &lt; &gt; &amp; &quot; &apos; and character references may be used in a key' : "a key contains '<'");
  }
  return out + text.slice(last);
}

/**
 * Reads a DeleteObjects request body (`<Delete><Quiet/>?<Object><Key/></Object>…</Delete>`).
 * The proxy deletes the keys itself, one DeleteObject call each, instead of handing the XML to
 * s3rver, whose parser decodes HTML entities and turns numeric keys into numbers.
 */
export function parseDeleteRequest(body: Buffer): { keys: string[]; quiet: boolean } {
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw malformed('it is not UTF-8');
  }
  if (!/<Delete(?:\s[^>]*)?>[\s\S]*<\/Delete>/.test(xml)) throw malformed('expected a <Delete> element');
  const keys: string[] = [];
  for (const obj of xml.matchAll(/<Object(?:\s[^>]*)?>([\s\S]*?)<\/Object>/g)) {
    const found = [...obj[1].matchAll(/<Key>([\s\S]*?)<\/Key>/g)];
    if (found.length !== 1) throw malformed('each <Object> needs exactly one <Key>');
    keys.push(decodeXmlText(found[0][1]));
  }
  if (keys.length === 0) throw malformed('it names no <Object><Key>');
  if (keys.length > MAX_DELETE_KEYS) throw malformed(`it names ${keys.length} keys; at most ${MAX_DELETE_KEYS} may be deleted per request`);
  const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(xml);
  return { keys, quiet };
}

export interface DeleteOutcome {
  key: string;
  error?: { code: string; message: string };
}

export function deleteResultXml(outcomes: DeleteOutcome[], quiet: boolean): string {
  const items = outcomes
    .map((o) =>
      o.error
        ? `<Error><Key>${xmlEscape(o.key)}</Key><Code>${xmlEscape(o.error.code)}</Code><Message>${xmlEscape(o.error.message)}</Message></Error>`
        : quiet
          ? ''
          : `<Deleted><Key>${xmlEscape(o.key)}</Key></Deleted>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${items}</DeleteResult>`;
}

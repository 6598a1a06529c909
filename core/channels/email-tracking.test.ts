import { describe, expect, it } from 'vitest';
import { readToken, signToken, trackEmail } from './email-tracking';

const key = Buffer.alloc(32, 7);
const t = { w: 'ws', c: 'contact-1', k: 'ws|enr:news:message0', j: 'j1', n: 'news' };
const o = { publicUrl: 'https://crm.test/', key };

describe('email tracking links', () => {
  it('a token reads back only with its own signature and key', () => {
    const token = signToken(t, key);
    expect(readToken(token, key)).toEqual(t);
    expect(readToken(token, Buffer.alloc(32, 8))).toBeUndefined();
    const [body, sig] = token.split('.');
    expect(readToken(`${body}x.${sig}`, key)).toBeUndefined();
    expect(readToken(body, key)).toBeUndefined();
    // A signed token whose destination is not a web link is refused too (no javascript: redirect).
    expect(readToken(signToken({ ...t, u: 'javascript:alert(1)' }, key), key)).toBeUndefined();
  });

  it('rewrites web links (entities decoded in the destination), leaves mailto alone, puts the pixel before </body>; the same input gives the same output', () => {
    const html = '<html><body><a class="b" href="https://shop.test/a?x=1&amp;y=2">A</a> <a href=\'mailto:x@y.z\'>m</a></body></html>';
    const out = trackEmail(html, t, o);
    const click = /href="https:\/\/crm\.test\/t\/c\/([^"]+)"/.exec(out.html!)![1];
    expect(readToken(click, key)!.u).toBe('https://shop.test/a?x=1&y=2');
    expect(out.html).toContain("href='mailto:x@y.z'");
    expect(out.html).toMatch(/<img src="https:\/\/crm\.test\/t\/o\/[^"]+" width="1" height="1"[^>]*><\/body><\/html>$/);
    expect(out.headers).toEqual({ 'List-Unsubscribe': `<${out.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(trackEmail(html, t, o)).toEqual(out);
  });
});

import { describe, expect, it } from 'vitest';
import { oauth1Header, percentEncode, signatureBaseString, oauth1Signature } from './oauth1';

// The worked example of X's "Creating a signature" documentation (a status update with a form body).
const example = {
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};
const nonce = 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg';
const timestamp = 1318622958;
const url = 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true';
const form = { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' };

describe('OAuth 1.0a signing', () => {
  it('percent-encodes as RFC 3986 says', () => {
    expect(percentEncode('Ladies + Gentlemen')).toBe('Ladies%20%2B%20Gentlemen');
    expect(percentEncode("An encoded string!*'()")).toBe('An%20encoded%20string%21%2A%27%28%29');
    expect(percentEncode('Dogs, Cats & Mice')).toBe('Dogs%2C%20Cats%20%26%20Mice');
    expect(percentEncode('☃')).toBe('%E2%98%83');
  });

  it('reproduces the documented signature of the worked example', () => {
    const params: [string, string][] = [
      ['include_entities', 'true'], ['status', form.status], ['oauth_consumer_key', example.consumerKey], ['oauth_nonce', nonce],
      ['oauth_signature_method', 'HMAC-SHA1'], ['oauth_timestamp', String(timestamp)], ['oauth_token', example.token], ['oauth_version', '1.0'],
    ];
    const base = signatureBaseString('post', 'https://api.twitter.com/1.1/statuses/update.json', params);
    expect(base.startsWith('POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog')).toBe(true);
    expect(oauth1Signature(example, base)).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    const header = oauth1Header(example, 'POST', url, form, { nonce, timestamp });
    expect(header).toContain('oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"');
    expect(header).toMatch(/^OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="/);
  });

  it('a fresh nonce and time on every header', () => {
    const a = oauth1Header(example, 'GET', 'https://api.x.com/2/users/me');
    const b = oauth1Header(example, 'GET', 'https://api.x.com/2/users/me');
    expect(a).not.toBe(b);
  });
});

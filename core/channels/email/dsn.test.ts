import { describe, expect, it } from 'vitest';
import { dsnFor } from '../../../test/helpers/dsn';
import { isHardBounce, parseDsn } from './dsn';

describe('delivery status notifications', () => {
  it('reads the recipient, action, status, diagnostic and our key from a Postfix-style report', () => {
    const dsn = parseDsn(dsnFor('gone@example.com', 'ws|journey:j:contact:c:event:e:news:1:message0'))!;
    expect(dsn.journeysKey).toBe('ws|journey:j:contact:c:event:e:news:1:message0');
    expect(dsn.recipients).toEqual([{ recipient: 'gone@example.com', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 <x>: Recipient address rejected: User unknown in virtual mailbox table' }]);
    expect(isHardBounce(dsn.recipients[0])).toBe(true);
  });

  it('a delay is no bounce, and a plain message is no report', () => {
    expect(isHardBounce(parseDsn(dsnFor('slow@example.com', 'k', '4.4.1', 'delayed'))!.recipients[0])).toBe(false);
    expect(parseDsn('From: a@b.c\r\nSubject: hi\r\n\r\nhello')).toBeUndefined();
  });
});

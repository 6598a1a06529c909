/** Test data: delivery status notifications as receiving servers mail them back. */

/** A DSN as Postfix writes one (RFC 3464), with the returned message's headers. */
export function dsnFor(recipient: string, key: string, status = '5.1.1', action = 'failed'): string {
  return [
    'From: MAILER-DAEMON@mx.example.com', 'To: news@brand.test', 'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status;', '\tboundary="B0UND"', '',
    'This is a MIME-encapsulated message.', '', '--B0UND', 'Content-Type: text/plain; charset=us-ascii', '',
    `<${recipient}>: host mx.example.com said: 550 5.1.1 User unknown`, '', '--B0UND', 'Content-Type: message/delivery-status', '',
    'Reporting-MTA: dns; mail.brand.test', 'Arrival-Date: Fri, 4 Dec 2026 03:00:00 +0000', '',
    `Final-Recipient: rfc822; ${recipient}`, `Original-Recipient: rfc822;${recipient}`, `Action: ${action}`, `Status: ${status}`,
    'Remote-MTA: dns; mx.example.com', 'Diagnostic-Code: smtp; 550 5.1.1 <x>: Recipient address rejected:', '    User unknown in virtual mailbox table', '',
    '--B0UND', 'Content-Type: text/rfc822-headers', '', 'From: news@brand.test', `To: ${recipient}`, 'Subject: Spring news', `X-Journeys-Key: ${key}`, '',
    '--B0UND--', '',
  ].join('\r\n');
}

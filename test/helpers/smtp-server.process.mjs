// A real SMTP server in its own process (smtp-server package): prints {"port":N} once listening, then one JSON line
// per received message {from, to, raw}. Started by test/helpers/smtp.ts. With SMTP_TEST_USER / SMTP_TEST_PASSWORD
// set, AUTH accepts exactly that user and password (535 otherwise); without them every AUTH is refused. Recipients
// whose address starts with "nobody" are refused with 550 (no such mailbox).
import { SMTPServer } from 'smtp-server';

const user = process.env.SMTP_TEST_USER;
const password = process.env.SMTP_TEST_PASSWORD;

const server = new SMTPServer({
  authOptional: true,
  ...(user ? {
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      return callback(new Error('Invalid username or password'));
    },
  } : {}),
  disabledCommands: ['STARTTLS'],
  // A mailbox that does not exist, as a receiving server answers it: 550 at RCPT TO (a hard bounce).
  onRcptTo(address, _session, callback) {
    if (!address.address.startsWith('nobody')) return callback();
    const err = new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`);
    err.responseCode = 550;
    return callback(err);
  },
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      process.stdout.write(JSON.stringify({ from: session.envelope.mailFrom && session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw }) + '\n');
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.server.address().port }) + '\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

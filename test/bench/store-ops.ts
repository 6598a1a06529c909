/**
 * Counts the store round trips a MongoClient issues, from the driver's command monitoring (the client must be
 * opened with `monitorCommands: true`). Only what the driver does for itself is left out: the connection handshake
 * and authentication, health pings and session clean-up at close. getMore and killCursors are counted: each is a
 * round trip the caller's query caused.
 */
import type { CommandStartedEvent, MongoClient } from 'mongodb';

const HOUSEKEEPING = new Set(['hello', 'isMaster', 'ismaster', 'saslStart', 'saslContinue', 'authenticate', 'ping', 'endSessions']);

/** The collection a command addresses: its first field for most, `collection` for getMore, else "(db)". */
function collectionOf(e: CommandStartedEvent): string {
  const first = e.command[e.commandName];
  if (typeof first === 'string') return first;
  if (typeof e.command.collection === 'string') return e.command.collection;
  return '(db)';
}

export interface CommandTally {
  total: number;
  /** command name → collection → count */
  byCommand: Record<string, Record<string, number>>;
}

export function commandCounter(client: MongoClient) {
  let counting = false;
  let lastAt = 0;
  let tally: CommandTally = { total: 0, byCommand: {} };
  client.on('commandStarted', (e) => {
    if (!counting || HOUSEKEEPING.has(e.commandName)) return;
    lastAt = Date.now();
    tally.total++;
    const byCollection = (tally.byCommand[e.commandName] ??= {});
    const c = collectionOf(e);
    byCollection[c] = (byCollection[c] ?? 0) + 1;
  });
  return {
    start() { tally = { total: 0, byCommand: {} }; counting = true; lastAt = Date.now(); },
    stop(): CommandTally { counting = false; return tally; },
    /** When the last counted command started (or counting did): how long the client has been quiet. */
    lastCommandAt: () => lastAt,
  };
}

/** A tally divided by a number of runs: the total to one decimal, the breakdown to two (a cached read is rare), largest first. */
export function perRun(t: CommandTally, runs: number): { total: number; byCommand: Record<string, Record<string, number>> } {
  const r = (n: number) => +(n / runs).toFixed(2);
  const byCommand = Object.fromEntries(Object.entries(t.byCommand)
    .map(([cmd, cols]) => [cmd, Object.fromEntries(Object.entries(cols).sort((a, b) => b[1] - a[1]).map(([c, n]) => [c, r(n)]))] as const)
    .sort((a, b) => Object.values(b[1]).reduce((x, y) => x + y, 0) - Object.values(a[1]).reduce((x, y) => x + y, 0)));
  return { total: +(t.total / runs).toFixed(1), byCommand };
}

/**
 * Time-zone aware windows ("weekdays 09:00–18:00 in Asia/Shanghai", quiet hours "22:00–08:00").
 * Pure and deterministic (Intl only): the interpreter workflow calls it with workflow time.
 */
export interface DailyWindow {
  /** Allowed weekdays, 0 = Sunday. A window that crosses midnight belongs to the day it starts. */
  days: number[];
  start: string; // HH:MM
  end: string; // HH:MM
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

interface ZonedParts { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number }

export function zonedParts(at: Date, tz: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second), weekday: WEEKDAYS[parts.weekday],
  };
}

/** The instant a local wall-clock time happens in `tz` (the first one, around DST jumps). */
export function zonedTime(year: number, month: number, day: number, minutes: number, tz: string): Date {
  const wall = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = zonedParts(new Date(guess), tz);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const diff = wall - seen;
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function inWindow(at: Date, w: DailyWindow, tz: string): boolean {
  const p = zonedParts(at, tz);
  const now = p.hour * 60 + p.minute;
  const start = toMinutes(w.start);
  const end = toMinutes(w.end);
  if (start === end) return w.days.includes(p.weekday);
  if (start < end) return w.days.includes(p.weekday) && now >= start && now < end;
  return (w.days.includes(p.weekday) && now >= start) || (w.days.includes((p.weekday + 6) % 7) && now < end);
}

/** `at` itself when inside the window, else the next instant the window opens. */
export function nextWindowStart(at: Date, w: DailyWindow, tz: string): Date {
  if (inWindow(at, w, tz)) return at;
  const p = zonedParts(at, tz);
  for (let k = 0; k <= 8; k++) {
    // Walk local calendar days; Date.UTC normalizes day overflow into the next month.
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day + k));
    if (!w.days.includes(d.getUTCDay())) continue;
    const candidate = zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), toMinutes(w.start), tz);
    if (candidate.getTime() > at.getTime()) return candidate;
  }
  return at; // no allowed day: callers validate `days` is non-empty, so this is unreachable in practice
}

/** When a quiet-hours window (every day) is over: `at` when outside it. */
export function quietHoursEnd(at: Date, quiet: { start: string; end: string }, tz: string): Date {
  const all = { days: [0, 1, 2, 3, 4, 5, 6], ...quiet };
  if (!inWindow(at, all, tz)) return at;
  const open = { days: all.days, start: quiet.end, end: quiet.start };
  return nextWindowStart(at, open, tz);
}

/**
 * What the config form's pickers offer, by the field's `x-widget` hint: the workspace's segments (with member
 * counts, `GET /api/v1/segments`), channels (the connected ones from `GET /api/v1/channels`, the channels contacts
 * were seen on, and the well-known ones), and contact tags. Options are suggestions only: every picker still takes
 * free text, and a failed load (offline, or a role that may not list channels) just offers fewer.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useT } from '../i18n/language-store';
import { useSession } from '../session';
import { KNOWN_CHANNELS } from './form-schema';

export type PickerSource = 'segment' | 'channel' | 'tags';
export interface PickerOption { value: string; label?: string }

/** Raw answers from the API, before labels in the UI language. */
interface Loaded { segments: { name: string; members: number }[]; channels: string[] }
type Kind = keyof Loaded;

const TTL_MS = 30_000;
const cache: { [K in Kind]?: { at: number; promise: Promise<Loaded[K]>; value?: Loaded[K] } } = {};

const loaders: { [K in Kind]: () => Promise<Loaded[K]> } = {
  segments: () => api.segments().then((r) => r.segments),
  channels: () => api.channels().then((r) => r.channels.map((c) => c.channel)),
};

function load<K extends Kind>(kind: K, now = Date.now()): { promise: Promise<Loaded[K]>; value?: Loaded[K] } {
  const hit = cache[kind] as { at: number; promise: Promise<Loaded[K]>; value?: Loaded[K] } | undefined;
  if (hit && now - hit.at < TTL_MS) return hit;
  const entry: { at: number; promise: Promise<Loaded[K]>; value?: Loaded[K] } = { at: now, promise: Promise.resolve([] as unknown as Loaded[K]) };
  entry.promise = loaders[kind]().then(
    (v) => { entry.value = v as Loaded[K]; return entry.value; },
    () => { entry.value = [] as unknown as Loaded[K]; return entry.value; }, // suggestions are a convenience
  );
  (cache as Record<Kind, unknown>)[kind] = entry;
  return entry;
}

/** Forgets loaded options (tests; after connecting a channel or editing segments elsewhere). */
export function resetPickerOptions(): void {
  for (const k of Object.keys(cache) as Kind[]) delete cache[k];
}

const KIND: Record<PickerSource, Kind | null> = { segment: 'segments', channel: 'channels', tags: null };

function dedupe(options: PickerOption[]): PickerOption[] {
  const seen = new Map<string, PickerOption>();
  for (const o of options) if (o.value && !seen.has(o.value)) seen.set(o.value, o);
  return [...seen.values()];
}

/**
 * The options of one picker: the API's first (segments with counts, connected channels), then `known` (the form's
 * own suggestions: channels contacts were seen on, contact tags, the field's default, labelled event types).
 */
export function usePickerOptions(source: PickerSource | undefined, known: (string | PickerOption)[] = []): PickerOption[] {
  const t = useT();
  const { me, can } = useSession();
  // Connected channels are listed to holders of credentials.manage only: others are offered the known ones without
  // asking (a 403 in the console otherwise). No session (a bare form) still asks; a refusal just offers fewer.
  const kind = !source || (source === 'channel' && me && !can('credentials.manage')) ? null : KIND[source];
  const [loaded, setLoaded] = useState<Loaded[Kind] | undefined>(() => (kind ? cache[kind]?.value : undefined));
  useEffect(() => {
    if (!kind) return;
    let live = true;
    const entry = load(kind);
    if (entry.value) setLoaded(entry.value);
    else void entry.promise.then((v) => { if (live) setLoaded(v); });
    return () => { live = false; };
  }, [kind]);

  const fromApi: PickerOption[] = !kind || !loaded ? []
    : kind === 'segments'
      ? (loaded as Loaded['segments']).map((s) => ({ value: s.name, label: `${s.name} · ${t('picker.members', { count: s.members })}` }))
      : (loaded as Loaded['channels']).map((c) => ({ value: c, label: `${c} · ${t('picker.connected')}` }));
  const defaults = source === 'channel' ? KNOWN_CHANNELS : [];
  return dedupe([...fromApi, ...known.map((k) => (typeof k === 'string' ? { value: k } : k)), ...defaults.map((value) => ({ value }))]);
}

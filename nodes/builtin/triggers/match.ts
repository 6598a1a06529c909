/**
 * Whether a trigger node accepts an event, beyond the generic event type / channel / conditions checks that
 * ingestion does for every trigger. Pure: ingestion calls it with the event and the contact view.
 */
import type { ContactEvent } from '../../contract';
import { matchKeywords } from '../../text/analyze';
import { TRIGGER_MANIFESTS, triggerCrisis } from './manifests';

const DEFAULT_TYPES = new Map<string, string[]>(TRIGGER_MANIFESTS.map((m) => [m.type, m.triggerEventTypes ?? []]));

type Cfg = Record<string, unknown>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export interface CrisisSettings { topic: string; keywords?: string[]; sourceChannels?: string[]; windowMinutes: number; baselineWindows: number; factor: number; minCount: number }

/** The defaults of the crisis trigger's settings: its config schema's `default`s, the one place they are written. */
const CRISIS_DEFAULTS = Object.fromEntries(Object.entries(triggerCrisis.configSchema.properties)
  .filter(([, p]) => 'default' in p).map(([k, p]) => [k, (p as { default: unknown }).default])) as Pick<CrisisSettings, 'windowMinutes' | 'baselineWindows' | 'factor' | 'minCount'>;

/** A crisis trigger's config with its defaults filled in. */
export function crisisSettings(cfg: Cfg): CrisisSettings {
  return { ...CRISIS_DEFAULTS, ...(cfg as Partial<CrisisSettings>) } as CrisisSettings;
}

/** Identifies one crisis detector: the same topic settings in two journeys share one rolling count. */
export function crisisDetectorKey(raw: Cfg): string {
  const cfg = crisisSettings(raw);
  const k = cfg.keywords?.slice().sort().join(',') ?? '';
  const c = cfg.sourceChannels?.slice().sort().join(',') ?? '';
  return [cfg.topic, k, c, cfg.windowMinutes, cfg.baselineWindows, cfg.factor, cfg.minCount].join('|');
}

export function triggerAccepts(node: { id: string; type: string; config: unknown }, event: ContactEvent, journeyId?: string): boolean {
  const cfg = (node.config ?? {}) as Cfg;
  const types = DEFAULT_TYPES.get(node.type);
  if (!types) return true; // not one of ours (trigger.event, custom triggers): the generic checks decide
  if (!cfg.eventTypes && !types.includes(event.type)) return false;
  const data = (event.data ?? {}) as Cfg;
  const chans = strings(cfg.channels);
  if (chans.length && !chans.includes(event.channel)) return false;
  switch (node.type) {
    case 'trigger.social-mention':
    case 'trigger.direct-message': {
      const kws = strings(cfg.keywords);
      return !kws.length || matchKeywords(event.text ?? '', kws).matched;
    }
    case 'trigger.form-submitted': {
      const forms = strings(cfg.formIds);
      return !forms.length || forms.includes(String(data.formId ?? ''));
    }
    case 'trigger.contact-created':
      return !chans.length || chans.includes(String(data.channel ?? event.channel));
    case 'trigger.contact-updated': {
      const fields = strings(cfg.fields);
      return !fields.length || strings(data.fields).some((f) => fields.includes(f));
    }
    case 'trigger.tag-added':
      return strings(cfg.tags).includes(String(data.tag));
    case 'trigger.score-threshold': {
      if (data.score !== cfg.score) return false;
      const before = Number(data.before), after = Number(data.after), th = Number(cfg.threshold);
      return cfg.direction === 'down' ? before >= th && after < th : before < th && after >= th;
    }
    case 'trigger.segment-entered':
      return strings(cfg.segments).includes(String(data.segment));
    case 'trigger.scheduled-broadcast':
      return data.journeyId === journeyId && data.nodeId === node.id;
    case 'trigger.crisis-detected':
      return data.detector === crisisDetectorKey(cfg);
    case 'trigger.sla-breached': {
      const p = strings(cfg.priorities);
      return !p.length || p.includes(String(data.priority));
    }
    default:
      return true;
  }
}

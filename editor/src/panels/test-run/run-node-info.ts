/** How the run panels name a step's node and its ports: from the draft on the canvas, as the marketer named them. */
import type { NodeManifest } from '../../../../nodes/contract';
import { portsOf } from '../../../../nodes/ports';
import type { RunStep } from '../../api/types';
import { DICTIONARIES, type MessageKey } from '../../i18n/dictionary';
import { localized, type T } from '../../i18n/language-store';
import type { Lang } from '../../i18n/dictionary';
import { deliveryOf } from './step-details';

/** The node of a step as the draft has it now (undefined: deleted since the run). */
export type RunNodeInfo = (nodeId: string) => { manifest?: NodeManifest<any>; label?: string; config?: Record<string, unknown> } | undefined;

export function nodeTitle(info: ReturnType<RunNodeInfo>, step: Pick<RunStep, 'nodeId' | 'nodeType'>, lang: Lang): string {
  return info?.label || (info?.manifest ? localized(info.manifest.title, lang) : `${step.nodeId} (${step.nodeType})`);
}

/** The port's label; a message that was only recorded says so instead of "Sent". */
export function portLabel(info: ReturnType<RunNodeInfo>, step: Pick<RunStep, 'port' | 'output'>, lang: Lang, t: T): string {
  if (!step.port) return '';
  const delivery = deliveryOf(step);
  if (delivery === 'dry-run' || delivery === 'recorded') return t('test.recorded');
  const port = info?.manifest ? portsOf(info.manifest, info.config).find((p) => p.id === step.port) : undefined;
  return port ? localized(port.label, lang) : step.port;
}

/** A dictionary text when there is one for `key`, else `fallback` (recorded data keeps its own words). */
export function textOr(t: T, key: string, fallback: string): string {
  return key in DICTIONARIES.en ? t(key as MessageKey) : fallback;
}

import type { NodeManifest, PortSpec } from './contract';

/** The output ports of a node for a given config: fixed ports plus those its config declares. */
export function portsOf(manifest: NodeManifest<any>, config: unknown): PortSpec[] {
  const ports = [...manifest.outputs];
  const dyn = manifest.portsFromConfig;
  if (dyn && config && typeof config === 'object') {
    const items = (config as Record<string, unknown>)[dyn.arrayField];
    if (Array.isArray(items)) {
      for (const item of items) {
        if (!item || typeof item !== 'object') continue;
        const id = (item as Record<string, unknown>)[dyn.idField];
        if (typeof id !== 'string' || !id) continue;
        const label = dyn.labelField ? String((item as Record<string, unknown>)[dyn.labelField] ?? id) : id;
        ports.push({ id, label: { en: label, 'zh-CN': label } });
      }
    }
  }
  return ports;
}

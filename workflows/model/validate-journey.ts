/**
 * Graph validation: what the document schema cannot say. Every issue names the node (or edge) and the field
 * path, so the editor can point at it. Free of Temporal and Node imports: the editor runs it too.
 */
import { createAjv, toFieldErrors } from '../../nodes/ajv';
import type { LocalizedText, NodeManifest } from '../../nodes/contract';
import { portsOf } from '../../nodes/ports';
import { variablesWithoutFallback } from '../../nodes/message-template';
import type { NodeRegistry } from '../../nodes/registry';
import { httpDestination, literalRefusal, refusalText, type DestinationJudge } from './address-ranges';
import { journeyGraphSchema, type JourneyGraph } from './journey-schema';

export interface ValidationIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  nodeId?: string;
  edgeIndex?: number;
  /** JSON pointer: inside the node (`/config/points`) when nodeId is set, else inside the document. */
  path: string;
  /** The message in every UI language, when translated (`en` equals `message`). */
  i18n?: LocalizedText;
}

// Compiled on first use, not at import: the editor imports this module on its way to the first paint.
let graphShape: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;
const validateGraphShape = () => (graphShape ??= createAjv().compile(journeyGraphSchema));

/** A message in both UI languages (`message` is the English one, as the API answers by default). */
function both(en: string, zh: string): { message: string; i18n: LocalizedText } {
  return { message: en, i18n: { en, 'zh-CN': zh } };
}

export function isWaitNode(m: NodeManifest<any> | undefined): boolean {
  return m?.flow === 'wait' || m?.flow === 'wait-until' || m?.flow === 'wait-for-event';
}

/**
 * `destinations` is the server's judge (its allow-list and service ports): literal addresses it refuses are errors.
 * Without one (the editor) they are warnings, since the operator may have allow-listed them.
 */
/**
 * Config fields of the nodes that write to the contact, whose variables must have a value to be sent: JSON
 * pointers into the config, `*` for every value of an object (a template message's fields). The reply's fallback
 * is a message to the contact too.
 */
const MESSAGE_FIELDS: Record<string, string[]> = {
  'response.reply': ['message', 'fallback/text', 'fallback/subject', 'fallback/url', 'fallback/templateData/*'],
  'response.email': ['subject', 'html', 'text'],
};

/** The texts at a MESSAGE_FIELDS pointer of a config, with their paths. */
function textsAt(config: unknown, pointer: string): { path: string; text: string }[] {
  let at: { path: string; value: unknown }[] = [{ path: '/config', value: config }];
  for (const part of pointer.split('/')) {
    at = at.flatMap(({ path, value }) => {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
      const entries = part === '*' ? Object.entries(value) : [[part, (value as Record<string, unknown>)[part]] as const];
      return entries.map(([k, v]) => ({ path: `${path}/${k}`, value: v }));
    });
  }
  return at.filter((x): x is { path: string; text: string } & { value: string } => typeof x.value === 'string').map(({ path, value }) => ({ path, text: value }));
}

export function validateJourney(doc: unknown, registry: NodeRegistry, destinations?: DestinationJudge): ValidationIssue[] {
  const shape = { ...(doc as Record<string, unknown>) };
  delete shape.name;
  delete shape.description;
  const checkShape = validateGraphShape();
  if (!checkShape(shape)) {
    return toFieldErrors(checkShape.errors).map((e) => ({ severity: 'error', code: 'invalid_document', message: e.message, path: e.path, i18n: e.i18n }));
  }
  const graph = shape as unknown as JourneyGraph;
  const issues: ValidationIssue[] = [];
  const error = (i: Omit<ValidationIssue, 'severity'>) => issues.push({ severity: 'error', ...i });

  const nodes = new Map<string, { manifest?: NodeManifest<any>; config: unknown; index: number }>();
  graph.nodes.forEach((node, index) => {
    if (nodes.has(node.id)) {
      error({ code: 'duplicate_node_id', nodeId: node.id, path: '/id', ...both(`node id "${node.id}" is used twice`, `节点 ID “${node.id}”重复使用`) });
      return;
    }
    const manifest = registry.get(node.type, node.version);
    nodes.set(node.id, { manifest, config: node.config, index });
    if (!manifest) {
      const latest = registry.latest(node.type);
      error({
        code: 'unknown_node_type', nodeId: node.id, path: latest ? '/version' : '/type',
        ...(latest ? both(`${node.type} has no version ${node.version} (latest is ${latest.version})`, `${node.type} 没有版本 ${node.version}（最新为 ${latest.version}）`)
          : both(`unknown node type "${node.type}"`, `未知的节点类型“${node.type}”`)),
      });
      return;
    }
    for (const fe of registry.validateConfig(node.type, node.version, node.config)) {
      error({ code: 'invalid_config', nodeId: node.id, path: `/config${fe.path === '/' ? '' : fe.path}`, message: fe.message, i18n: fe.i18n });
    }
    for (const [field, url] of uriFields(manifest, node.config)) {
      const dest = httpDestination(url);
      const reason = dest && (destinations ? destinations.refusal(dest.host, dest.port) : literalRefusal(dest.host));
      if (!dest || !reason) continue;
      const text = refusalText(dest.host, reason);
      issues.push({ severity: destinations ? 'error' : 'warning', code: 'destination_refused', nodeId: node.id, path: `/config/${field}`, message: text.en, i18n: text });
    }
  });

  // Messages to contacts are not sent when a variable has no value (nodes/message-template.ts): say so before publish.
  for (const node of graph.nodes) {
    for (const { path, text } of (Object.hasOwn(MESSAGE_FIELDS, node.type) ? MESSAGE_FIELDS[node.type] : []).flatMap((f) => textsAt(node.config, f))) {
      for (const v of variablesWithoutFallback(text).filter((x) => x.startsWith('contact.') && x !== 'contact.id')) {
        issues.push({
          severity: 'warning', code: 'variable_without_fallback', nodeId: node.id, path,
          ...both(`{{${v}}} has no fallback: contacts without a value are not sent this message (write {{${v} | "there"}})`,
            `{{${v}}} 没有默认值：缺少该值的联系人不会收到这条消息（可写成 {{${v} | "朋友"}}）`),
        });
      }
    }
  }

  const triggers = [...nodes.entries()].filter(([, n]) => n.manifest?.category === 'trigger').map(([id]) => id);
  if (triggers.length === 0) error({ code: 'no_trigger', path: '/nodes', ...both('a journey needs at least one trigger node to start from', '旅程至少需要一个触发器作为起点') });

  const adjacency = new Map<string, string[]>();
  const usedPorts = new Map<string, number>();
  graph.edges.forEach((edge, edgeIndex) => {
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from) return error({ code: 'dangling_edge', edgeIndex, path: `/edges/${edgeIndex}/from`, ...both(`edge starts at missing node "${edge.from}"`, `连线的起点节点“${edge.from}”不存在`) });
    if (!to) return error({ code: 'dangling_edge', nodeId: edge.from, edgeIndex, path: `/edges/${edgeIndex}/to`, ...both(`edge from "${edge.from}" goes to missing node "${edge.to}"`, `连线指向的节点“${edge.to}”不存在`) });
    if (from.manifest) {
      const ports = portsOf(from.manifest, from.config).map((p) => p.id);
      if (!ports.includes(edge.port)) {
        error({
          code: 'unknown_port', nodeId: edge.from, edgeIndex, path: `/edges/${edgeIndex}/port`,
          ...(ports.length ? both(`node has no port "${edge.port}" (ports: ${ports.join(', ')})`, `节点没有端口“${edge.port}”（可用端口：${ports.join('、')}）`)
            : both(`node "${edge.from}" ends the journey and has no output ports`, `节点“${edge.from}”结束旅程，没有输出端口`)),
        });
      }
    }
    if (to.manifest?.category === 'trigger') {
      error({ code: 'edge_into_trigger', nodeId: edge.to, edgeIndex, path: `/edges/${edgeIndex}/to`, ...both('a trigger cannot have incoming edges', '触发器不能有进入的连线') });
    }
    const portKey = `${edge.from}:${edge.port}`;
    if (usedPorts.has(portKey)) {
      error({ code: 'port_connected_twice', nodeId: edge.from, edgeIndex, path: `/edges/${edgeIndex}/port`, ...both(`port "${edge.port}" is already connected (edge ${usedPorts.get(portKey)})`, `端口“${edge.port}”已经有连线（连线 ${usedPorts.get(portKey)}）`) });
    }
    usedPorts.set(portKey, edgeIndex);
    adjacency.set(edge.from, [...(adjacency.get(edge.from) ?? []), edge.to]);
  });

  for (const cycle of cyclesWithoutWait(nodes, adjacency)) {
    error({
      code: 'cycle_without_wait', nodeId: cycle[0], path: '/',
      ...both(`loop ${[...cycle, cycle[0]].join(' → ')} has no wait: a contact would spin forever`, `循环 ${[...cycle, cycle[0]].join(' → ')} 中没有等待：联系人会无限循环`),
    });
  }

  // Nodes no trigger leads to never run: a warning, since drafts are often built piece by piece.
  const reachable = new Set<string>();
  const stack = [...triggers];
  while (stack.length) {
    const id = stack.pop()!;
    if (reachable.has(id)) continue;
    reachable.add(id);
    stack.push(...(adjacency.get(id) ?? []));
  }
  for (const id of nodes.keys()) {
    if (!reachable.has(id) && triggers.length) {
      issues.push({ severity: 'warning', code: 'unreachable_node', nodeId: id, path: '/', ...both('no trigger leads to this node', '没有触发器通向这个节点') });
    }
  }
  return issues;
}

/** Config fields declared `format: 'uri'` (webhook URLs, custom nodes' endpoints): where a node will call out to. */
function uriFields(manifest: NodeManifest<any>, config: unknown): [string, string][] {
  const props = (manifest.configSchema as { properties?: Record<string, { format?: string }> }).properties ?? {};
  const values = (config ?? {}) as Record<string, unknown>;
  return Object.entries(props)
    .filter(([k, p]) => p.format === 'uri' && typeof values[k] === 'string')
    .map(([k]) => [k, values[k] as string]);
}

/** Strongly connected components (Tarjan) that loop and hold no wait node. */
function cyclesWithoutWait(nodes: Map<string, { manifest?: NodeManifest<any> }>, adjacency: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];

  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of adjacency.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const loops = component.length > 1 || (adjacency.get(v) ?? []).includes(v);
      if (loops && !component.some((id) => isWaitNode(nodes.get(id)?.manifest))) result.push(component.reverse());
    }
  };
  for (const id of nodes.keys()) if (!index.has(id)) visit(id);
  return result;
}

export function hasErrors(issues: ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

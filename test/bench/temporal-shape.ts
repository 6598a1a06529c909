/**
 * The shape of the Temporal server the figures were taken on: what the server reports of itself (version, history
 * shards, persistence), the flags it was started with (from /proc/<pid>/cmdline) and the dynamic config in force.
 */
import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import { BINARIES } from '../../scripts/binaries';

/**
 * What `temporal server start-dev` of the pinned CLI sets by itself on top of the server's defaults
 * (temporalcli/commands.server.go and devserver/server.go of github.com/temporalio/cli v1.5.1; the Nexus callback
 * entries are left out). `--dynamic-config-value` flags override these and are added from the command line.
 */
const DEV_SERVER_DYNAMIC_CONFIG: Record<string, unknown> = {
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  'frontend.persistenceMaxQPS': 10000,
  'history.persistenceMaxQPS': 45000,
  'history.hostLevelCacheMaxSize': 8096,
  'frontend.namespaceRPS.visibility': 100,
};

export interface TemporalShape {
  mode: string;
  cli: string;
  serverVersion?: string;
  historyShards?: number;
  persistence?: string;
  visibility?: string;
  /** The server's command line after the binary; null when the bench did not start it. */
  flags: string[] | null;
  dynamicConfig: Record<string, unknown>;
}

function commandLine(pid: number | undefined): string[] | null {
  if (!pid) return null;
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(1); } catch { return null; }
}

/** `--dynamic-config-value key=json` pairs of a command line. */
function dynamicConfigFlags(flags: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  flags.forEach((f, i) => {
    const kv = f === '--dynamic-config-value' ? flags[i + 1] : f.startsWith('--dynamic-config-value=') ? f.slice(f.indexOf('=') + 1) : undefined;
    if (!kv?.includes('=')) return;
    const [k, v] = [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)];
    try { out[k] = JSON.parse(v); } catch { out[k] = v; }
  });
  return out;
}

export async function temporalShape(client: Client, pid: number | undefined): Promise<TemporalShape> {
  const info = await client.workflowService.getClusterInfo({}).catch(() => undefined);
  const flags = commandLine(pid);
  const devServer = !flags || flags.slice(0, 2).join(' ') === 'server start-dev';
  return {
    mode: flags ? (devServer ? 'dev server (temporal server start-dev)' : flags.slice(0, 2).join(' ')) : 'not started by the bench',
    cli: `temporal CLI ${BINARIES.temporal.version}`,
    serverVersion: info?.serverVersion ?? undefined,
    historyShards: info?.historyShardCount ?? undefined,
    persistence: info?.persistenceStore ?? undefined,
    visibility: info?.visibilityStore ?? undefined,
    flags,
    dynamicConfig: { ...(flags && devServer ? DEV_SERVER_DYNAMIC_CONFIG : {}), ...dynamicConfigFlags(flags ?? []) },
  };
}

/** One line for the table. */
export function describeShape(t: TemporalShape): string {
  const pragmas = (t.flags ?? []).flatMap((f, i, all) => (all[i - 1] === '--sqlite-pragma' ? [f] : []));
  return [
    `${t.mode}, server ${t.serverVersion ?? '?'} (${t.cli})`,
    `${t.persistence ?? '?'} persistence${pragmas.length ? ` (${pragmas.join(', ')})` : ''}`,
    `${t.historyShards ?? '?'} history shard${t.historyShards === 1 ? '' : 's'}`,
    `dynamic config ${Object.entries(t.dynamicConfig).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') || 'defaults'}`,
  ].join(' · ');
}

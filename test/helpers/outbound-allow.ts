/**
 * Local fakes listen on 127.0.0.1, which the destination policy refuses. A test allow-lists exactly the fake's
 * host:port for its own process (the in-process worker and API read JOURNEYS_OUTBOUND_ALLOW at every call; worker
 * processes spawned afterwards inherit it), and takes it back when the fake closes.
 */
export function allowOutbound(hostPort: string): () => void {
  const entries = () => (process.env.JOURNEYS_OUTBOUND_ALLOW ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  process.env.JOURNEYS_OUTBOUND_ALLOW = [...entries(), hostPort].join(',');
  return () => {
    const rest = entries();
    const at = rest.lastIndexOf(hostPort);
    if (at >= 0) rest.splice(at, 1);
    process.env.JOURNEYS_OUTBOUND_ALLOW = rest.join(',');
  };
}

import { proxyLocalActivities, sleep } from '@temporalio/workflow';

/** The ceiling: a workflow that does nothing, on the same server and worker settings as journeys. */
export async function noopWorkflow(): Promise<string> {
  return 'ok';
}

const { noopMark } = proxyLocalActivities<{ noopMark(): Promise<void> }>({ startToCloseTimeout: '30s' });

/**
 * The ceiling of a drip or broadcast: the least a waiting run does — one local activity (where a journey records
 * its trigger step), then a 3-day timer — so its start rate is what bare Temporal allows at the same concurrency.
 */
export async function noopWaitWorkflow(): Promise<void> {
  await noopMark();
  await sleep('3 days');
}

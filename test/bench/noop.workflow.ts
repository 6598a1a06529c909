/** The ceiling: a workflow that does nothing, on the same server and worker settings as journeys. */
export async function noopWorkflow(): Promise<string> {
  return 'ok';
}

import { AppError, joinedIssues } from '../../core/errors';
import type { Store } from '../../core/store/db';
import { templateBindingIssues } from '../../core/store/templates';
import type { JourneyNode } from '../../workflows/model/journey-schema';

/** Locked template fields hold on every save and publish, whatever client sends the journey: 422 naming node + field. */
export async function checkTemplateLocks(store: Store, workspaceId: string, graph: { nodes: JourneyNode[] }): Promise<void> {
  const issues = await templateBindingIssues(store, workspaceId, graph);
  if (!issues.length) return;
  throw new AppError(issues.some((i) => i.code === 'template_locked') ? 'template_locked' : 'template_not_found', { summary: joinedIssues(issues) }, {
    issues: issues.map((i) => ({ severity: 'error', ...i })),
  });
}

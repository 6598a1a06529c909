/** The built-in node manifests: plain data, safe to import from the editor, the API and workflow code. */
import type { NodeManifest } from './contract';
import { triggerEvent } from './builtin/trigger-event/manifest';
import { filterCondition } from './builtin/filter-condition/manifest';
import { scoringPoints } from './builtin/scoring-points/manifest';
import { responseReply } from './builtin/response-reply/manifest';
import { responseWebhook } from './builtin/response-webhook/manifest';
import { responseUpdateContact } from './builtin/response-update-contact/manifest';
import { flowEnd, flowGoal, flowSplit, flowWait, flowWaitForEvent, flowWaitUntil } from './builtin/flow/manifests';

export const BUILTIN_MANIFESTS: NodeManifest<any>[] = [
  triggerEvent,
  filterCondition,
  scoringPoints,
  responseReply,
  responseWebhook,
  responseUpdateContact,
  flowWait,
  flowWaitUntil,
  flowWaitForEvent,
  flowSplit,
  flowGoal,
  flowEnd,
];

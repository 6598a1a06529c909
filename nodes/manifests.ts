/** The built-in node manifests: plain data, safe to import from the editor, the API and workflow code. */
import type { NodeManifest } from './contract';
import { triggerEvent } from './builtin/trigger-event/manifest';
import { filterCondition } from './builtin/filter-condition/manifest';
import { scoringPoints } from './builtin/scoring-points/manifest';
import { responseReply } from './builtin/response-reply/manifest';
import { responseWebhook } from './builtin/response-webhook/manifest';
import { responseUpdateContact } from './builtin/response-update-contact/manifest';
import { filterSentiment } from './builtin/filter-sentiment/manifest';
import { filterKeyword } from './builtin/filter-keyword/manifest';
import { filterChannel } from './builtin/filter-channel/manifest';
import { filterConsent } from './builtin/filter-consent/manifest';
import { filterSegment } from './builtin/filter-segment/manifest';
import { filterBusinessHours } from './builtin/filter-business-hours/manifest';
import { scoringEngagement } from './builtin/scoring-engagement/manifest';
import { scoringSentiment } from './builtin/scoring-sentiment/manifest';
import { scoringThreshold } from './builtin/scoring-threshold/manifest';
import { responseEmail } from './builtin/response-email/manifest';
import { responseTicket } from './builtin/response-ticket/manifest';
import { responseNotify } from './builtin/response-notify/manifest';
import { responseSegment } from './builtin/response-segment/manifest';
import { responseWebhookV2 } from './builtin/response-webhook-signed/manifest';
import { flowExperiment } from './builtin/flow-experiment/manifest';
import { TRIGGER_MANIFESTS } from './builtin/triggers/manifests';
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
  // Social CRM library
  ...TRIGGER_MANIFESTS,
  filterSentiment, filterKeyword, filterChannel, filterConsent, filterSegment, filterBusinessHours,
  scoringEngagement, scoringSentiment, scoringThreshold,
  responseEmail, responseTicket, responseNotify, responseSegment, responseWebhookV2,
  flowExperiment,
];

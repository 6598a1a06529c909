/** The built-in node runtimes: imported by worker activities only (they may do I/O through ctx.services). */
import type { NodeRuntime } from './contract';
import filterCondition from './builtin/filter-condition/run';
import scoringPoints from './builtin/scoring-points/run';
import responseReply from './builtin/response-reply/run';
import responseWebhook from './builtin/response-webhook/run';
import responseUpdateContact from './builtin/response-update-contact/run';
import filterSentiment from './builtin/filter-sentiment/run';
import filterKeyword from './builtin/filter-keyword/run';
import filterChannel from './builtin/filter-channel/run';
import filterConsent from './builtin/filter-consent/run';
import filterSegment from './builtin/filter-segment/run';
import filterBusinessHours from './builtin/filter-business-hours/run';
import scoringEngagement from './builtin/scoring-engagement/run';
import scoringSentiment from './builtin/scoring-sentiment/run';
import scoringThreshold from './builtin/scoring-threshold/run';
import responseEmail from './builtin/response-email/run';
import responseTicket from './builtin/response-ticket/run';
import responseNotify from './builtin/response-notify/run';
import responseSegment from './builtin/response-segment/run';
import responseWebhookV2 from './builtin/response-webhook-signed/run';
import flowExperiment from './builtin/flow-experiment/run';

export const BUILTIN_RUNTIMES: NodeRuntime<any>[] = [
  filterCondition, scoringPoints, responseReply, responseWebhook, responseUpdateContact,
  filterSentiment, filterKeyword, filterChannel, filterConsent, filterSegment, filterBusinessHours,
  scoringEngagement, scoringSentiment, scoringThreshold,
  responseEmail, responseTicket, responseNotify, responseSegment, responseWebhookV2,
  flowExperiment,
];

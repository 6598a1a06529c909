/** The built-in node runtimes: imported by worker activities only (they may do I/O through ctx.services). */
import type { NodeRuntime } from './contract';
import filterCondition from './builtin/filter-condition/run';
import scoringPoints from './builtin/scoring-points/run';
import responseReply from './builtin/response-reply/run';
import responseWebhook from './builtin/response-webhook/run';
import responseUpdateContact from './builtin/response-update-contact/run';

export const BUILTIN_RUNTIMES: NodeRuntime<any>[] = [filterCondition, scoringPoints, responseReply, responseWebhook, responseUpdateContact];

import { defineTriggerMatcher } from '../triggers/matcher';
import { triggerBroadcast } from './manifest';

/** A broadcast's due event is addressed to one trigger node of one journey: the one whose schedule came due. */
export default defineTriggerMatcher(triggerBroadcast, ({ node, data, journeyId }) => data.journeyId === journeyId && data.nodeId === node.id);

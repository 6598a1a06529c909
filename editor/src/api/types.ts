/**
 * Shapes the editor reads from the API: the types of the server's own response schemas (server/http/responses/),
 * so a field the server adds, renames or drops is a type error here, not a surprise at run time.
 */
import type { NodeManifest } from '../../../nodes/contract';
import type { JourneyDocument } from '../../../workflows/model/journey-schema';
import type { View } from '../../../server/http/responses/shapes';
import type * as channels from '../../../server/http/responses/channels';
import type * as contacts from '../../../server/http/responses/contacts';
import type * as crm from '../../../server/http/responses/crm';
import type * as insights from '../../../server/http/responses/insights';
import type * as journeys from '../../../server/http/responses/journeys';
import type * as templates from '../../../server/http/responses/templates';
import type * as users from '../../../server/http/responses/users';
import type { ChannelSettings } from '../../../core/store/channel-configs';

/**
 * A node of the catalog: the node contract itself (its config schema drives the forms and validation), as
 * `GET /api/v1/nodes` sends it (server/http/responses/nodes.ts), with where it came from.
 */
export type CatalogManifest = NodeManifest<any> & { source?: 'builtin' | 'custom' };
export interface Catalog { categories: { category: string; nodes: CatalogManifest[] }[] }

export type JourneyList = View<typeof journeys.journeyListResponse>;
export type JourneySummary = JourneyList['journeys'][number];
/** A journey with its draft: the response schema's fields, the graph typed as the journey model's document. */
export type JourneyView = Omit<journeys.JourneyView, 'nodes' | 'edges' | 'settings'> & JourneyDocument;
export type VersionView = Omit<journeys.VersionView, 'nodes' | 'edges' | 'settings'> & Pick<JourneyDocument, 'nodes' | 'edges' | 'settings'>;
export type NodeStats = journeys.NodeStats;
export type JourneyStats = journeys.JourneyStats;

export type RunStep = contacts.StepView;
export type RunEvent = contacts.RunEventView;
/** A run with its steps; `events` only from `GET /enrollments/:id` (a contact's trace has none). */
export type EnrollmentView = Omit<contacts.EnrollmentView, 'events' | 'contactId' | 'waitingUntil' | 'test'>
  & Partial<Pick<contacts.EnrollmentView, 'events' | 'contactId' | 'waitingUntil' | 'test'>>;
export type ContactSummary = contacts.ContactView;

export type Me = users.Me;
export type UserView = users.UserView;
export type TokenView = users.TokenView;
export type AuditEntry = users.AuditEntry;
export type Role = UserView['role'];
export const ROLES: Role[] = ['viewer', 'marketer', 'developer', 'admin'];

export interface TemplateBinding { id: string; version: number }
export type NodeTemplate = templates.NodeTemplateView;
export type TemplateDiff = templates.TemplateDiffView;
export type TemplateFieldChange = TemplateDiff['changes'][number];
export type JourneyTemplate = templates.JourneyTemplateView;

export type SegmentSummary = View<typeof crm.segmentListResponse>['segments'][number];
/** `GET /api/v1/channels`: a connected channel; its settings are the store's (they hold no secret). */
export type ChannelSettingsView = ChannelSettings;
export type ChannelConfigView = Omit<View<typeof channels.channelViewSchema>, 'settings'> & { settings: ChannelSettingsView };
/** `POST /api/v1/channels/:channel/test`: what the platform answered to one harmless authenticated call. */
export type ChannelTestResult = View<typeof channels.connectionTestResponse>;

/** `GET /api/v1/journeys/:id/nodes/:nodeId/contacts`: the contacts behind a node's count, one page, newest first. */
export type NodeContactsPage = insights.NodeContactsView;
export type NodeContact = insights.NodeContactView;
export type NodeContactsState = NodeContactsPage['state'];
/** `POST /api/v1/journeys/:id/audience`: how many contacts each trigger of the draft would reach. */
export type AudienceEstimate = insights.AudienceView;
export type TriggerAudience = insights.TriggerAudienceView;
/** `GET /api/v1/contacts/:id/timeline`: one entry. */
export type TimelineItem = View<typeof contacts.timelineItemSchema>;

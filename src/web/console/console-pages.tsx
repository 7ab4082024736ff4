import type { ComponentType } from 'react';
import type { WireUser } from '../shared/wire-types.js';
import { AnalyticsPage } from './analytics/analytics-page.js';
import { HandoffPage } from './handoff/handoff-page.js';
import { KnowledgePage } from './knowledge/knowledge-page.js';
import { LeadsPage } from './leads/leads-page.js';
import { CostsPage } from './models/costs-page.js';
import { ModelsPage } from './models/models-page.js';
import { SimulatorPage } from './simulator/simulator-page.js';
import { CannedRepliesPage } from './team/canned-replies-page.js';
import { TeamPage } from './team/team-page.js';

/**
 * The console's pages besides the inbox, one entry each: the path it lives at, the label in the
 * header's navigation, and who may open it. A feature adds its page here and nowhere else; the
 * router and the header read this list.
 */
export interface ConsolePage {
  path: `/${string}`;
  label: string;
  component: ComponentType;
  /** Roles that see the page; staff do not see the owner's settings. */
  roles: readonly WireUser['role'][];
}

export const consolePages: readonly ConsolePage[] = [
  { path: '/simulator', label: 'Simulator', component: SimulatorPage, roles: ['owner', 'staff'] },
  { path: '/knowledge', label: 'Knowledge', component: KnowledgePage, roles: ['owner', 'staff'] },
  { path: '/models', label: 'Models', component: ModelsPage, roles: ['owner'] },
  { path: '/costs', label: 'Costs', component: CostsPage, roles: ['owner'] },
  { path: '/handoff', label: 'Handoff', component: HandoffPage, roles: ['owner'] },
  { path: '/leads', label: 'Leads', component: LeadsPage, roles: ['owner', 'staff'] },
  { path: '/analytics', label: 'Analytics', component: AnalyticsPage, roles: ['owner', 'staff'] },
  { path: '/team', label: 'Team', component: TeamPage, roles: ['owner'] },
  { path: '/canned-replies', label: 'Replies', component: CannedRepliesPage, roles: ['owner'] },
];

/** The page at a path (a trailing slash or sub-path belongs to the page), if any. */
export function findConsolePage(pathname: string): ConsolePage | undefined {
  return consolePages.find(
    (page) => pathname === page.path || pathname.startsWith(`${page.path}/`),
  );
}

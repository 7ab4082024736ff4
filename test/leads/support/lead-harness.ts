import { expect } from 'vitest';
import { runAgentTurn, type TurnOutcome } from '../../../src/agent/run-agent-turn.js';
import type { AgentTool } from '../../../src/core/agent-tool.js';
import type { LeadSettings } from '../../../src/core/leads.js';
import type { ModelBinding } from '../../../src/core/model.js';
import { createLeadTools } from '../../../src/tools/leads/save-lead.js';
import type { Backend } from '../../support/test-database.js';
import { useBusinessHarness, type BusinessHarness } from '../../tools/support/business-harness.js';

export interface LeadHarness extends BusinessHarness {
  settings: LeadSettings;
  leadTools: AgentTool[];
  /** Runs the conversation's owed turn with the business tools plus `save_lead`. */
  leadTurn(conversationId: string, model: ModelBinding): Promise<TurnOutcome>;
}

/** The demo business (its `leads:` section) with `save_lead` wired as Parley wires it. */
export function useLeadHarness(backend: Backend): LeadHarness {
  const harness = useBusinessHarness(backend) as LeadHarness;
  const settingsFor = (businessId: string) =>
    businessId === harness.business.id ? harness.settings : null;
  const leadTools = createLeadTools(settingsFor);
  Object.defineProperty(harness, 'settings', {
    get: () => harness.config.businessTools!.leads!,
  });
  harness.leadTools = leadTools;
  harness.leadTurn = async (conversationId, model) => {
    const now = harness.clock.now();
    const claimed = await harness.store.conversations.claimPendingTurn(
      now,
      new Date(now.getTime() + 60_000),
    );
    expect(claimed?.id, 'the owed turn should be this conversation').toBe(conversationId);
    const deps = harness.deps(model);
    return runAgentTurn({ ...deps, tools: [...deps.tools, ...leadTools] }, claimed!);
  };
  return harness;
}

import type { AgentTool } from '../core/agent-tool.js';
import { requestHuman } from './request-human.js';
import { searchKnowledge } from './knowledge/search-knowledge.js';

/** The tools every business's agent gets. */
export const defaultTools: readonly AgentTool[] = [searchKnowledge, requestHuman];

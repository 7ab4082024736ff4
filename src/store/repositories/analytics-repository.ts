import { sql, type SQL } from 'drizzle-orm';
import type { AnalyticsRepository, HandoffCause } from '../../core/analytics.js';
import type { Database } from '../database.js';
import type { RepositoryContext } from './context.js';

interface Range {
  from: string;
  to: string;
  timezone: string;
}

/**
 * One row per conversation opened in the range, with what the page counts: its local day, whether
 * it reached a person and why, its first response and when it was resolved.
 *
 * - Resolved at: the first `conversation.resolve` audit entry (every resolve goes through it);
 *   `updated_at` of a resolved conversation when the entry is missing.
 * - First response: the first outbound agent or person message after the first customer message.
 * - Reached a person: a handoff rule decided a handoff, a person took it over or wrote in it, it
 *   waits for or is held by a person, or it carries a handoff reason.
 */
function facts(businessId: string, range: Range): SQL {
  const start = sql`(${range.from}::date::timestamp AT TIME ZONE ${range.timezone})`;
  const end = sql`((${range.to}::date + 1)::timestamp AT TIME ZONE ${range.timezone})`;
  return sql`
    conv AS (
      SELECT c.id, c.channel, c.state, c.created_at, c.updated_at, c.handoff_reason,
             to_char(c.created_at AT TIME ZONE ${range.timezone}, 'YYYY-MM-DD') AS day
      FROM conversations c
      WHERE c.business_id = ${businessId} AND c.created_at >= ${start} AND c.created_at < ${end}
    ),
    rule AS (
      SELECT DISTINCT ON (d.conversation_id) d.conversation_id, d.trigger
      FROM handoff_decisions d JOIN conv ON conv.id = d.conversation_id
      WHERE d.fired AND d.deciding AND d.action = 'handoff'
      ORDER BY d.conversation_id, d.created_at, d.position
    ),
    audit AS (
      SELECT a.subject_id,
             min(a.created_at) FILTER (WHERE a.action = 'conversation.resolve') AS resolved_at,
             bool_or(a.action = 'conversation.take-over') AS taken_over
      FROM audit_log a
      WHERE a.business_id = ${businessId} AND a.subject_type = 'conversation'
        AND a.action IN ('conversation.resolve', 'conversation.take-over')
        AND a.created_at >= ${start}
      GROUP BY a.subject_id
    ),
    first_in AS (
      SELECT DISTINCT ON (m.conversation_id) m.conversation_id, m.seq, m.created_at
      FROM messages m JOIN conv ON conv.id = m.conversation_id
      WHERE m.direction = 'inbound' AND m.author = 'customer'
      ORDER BY m.conversation_id, m.seq
    ),
    first_out AS (
      SELECT DISTINCT ON (m.conversation_id) m.conversation_id, m.author,
             extract(epoch FROM (m.created_at - fi.created_at))::float8 AS seconds
      FROM messages m JOIN first_in fi ON fi.conversation_id = m.conversation_id
      WHERE m.direction = 'outbound' AND m.author IN ('agent', 'person') AND m.seq > fi.seq
      ORDER BY m.conversation_id, m.seq
    ),
    person_wrote AS (
      SELECT DISTINCT m.conversation_id
      FROM messages m JOIN conv ON conv.id = m.conversation_id
      WHERE m.author = 'person'
    ),
    facts AS (
      SELECT conv.id, conv.day, conv.channel, conv.state,
             CASE
               WHEN rule.trigger IS NOT NULL THEN rule.trigger
               WHEN conv.handoff_reason IS NOT NULL THEN 'other'
               WHEN coalesce(audit.taken_over, false) OR person_wrote.conversation_id IS NOT NULL
                 OR conv.state = 'person' THEN 'takeOver'
               WHEN conv.state = 'waiting_for_person' THEN 'other'
             END AS cause,
             first_out.author AS responder,
             greatest(first_out.seconds, 0) AS first_response,
             CASE WHEN conv.state = 'resolved' THEN
               greatest(extract(epoch FROM (coalesce(audit.resolved_at, conv.updated_at) - conv.created_at))::float8, 0)
             END AS resolution
      FROM conv
      LEFT JOIN rule ON rule.conversation_id = conv.id
      LEFT JOIN audit ON audit.subject_id = conv.id::text
      LEFT JOIN first_out ON first_out.conversation_id = conv.id
      LEFT JOIN person_wrote ON person_wrote.conversation_id = conv.id
    )`;
}

async function rows<Row>(db: Database, query: SQL): Promise<Row[]> {
  const result = await db.execute<Row & Record<string, unknown>>(query);
  return (result as { rows: Row[] }).rows;
}

function seconds(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return Math.round(Number(value));
}

/** The Analytics page's aggregates: plain SQL that runs the same on PGlite and PostgreSQL. */
export function createAnalyticsRepository({ db }: RepositoryContext): AnalyticsRepository {
  return {
    async conversations(businessId, range) {
      const base = facts(businessId, range);
      const days = await rows<{ day: string; channel: string; count: number | string }>(
        db,
        sql`WITH ${base} SELECT day, channel, count(*)::int AS count FROM facts
            GROUP BY day, channel ORDER BY day, channel`,
      );
      const causes = await rows<{ cause: HandoffCause; count: number | string }>(
        db,
        sql`WITH ${base} SELECT cause, count(*)::int AS count FROM facts
            WHERE cause IS NOT NULL GROUP BY cause ORDER BY count(*) DESC, cause`,
      );
      const [totals] = await rows<Record<string, unknown>>(
        db,
        sql`WITH ${base} SELECT
              count(*) FILTER (WHERE state = 'resolved' AND cause IS NULL)::int AS resolved_by_agent,
              count(*) FILTER (WHERE cause IS NOT NULL)::int AS handed_off,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response) AS first_response,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response)
                FILTER (WHERE responder = 'agent') AS first_response_agent,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response)
                FILTER (WHERE responder = 'person') AS first_response_person,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution) AS resolution
            FROM facts`,
      );
      return {
        days: days.map((row) => ({
          date: row.day,
          channel: row.channel,
          count: Number(row.count),
        })),
        resolvedByAgent: Number(totals?.resolved_by_agent ?? 0),
        handedOff: Number(totals?.handed_off ?? 0),
        handedOffByCause: causes.map((row) => ({ cause: row.cause, count: Number(row.count) })),
        medianFirstResponseSeconds: seconds(totals?.first_response),
        medianFirstResponseAgentSeconds: seconds(totals?.first_response_agent),
        medianFirstResponsePersonSeconds: seconds(totals?.first_response_person),
        medianResolutionSeconds: seconds(totals?.resolution),
      };
    },
  };
}

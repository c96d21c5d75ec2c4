import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Pipeline, pipelines, type Stage, stages } from '../../db/schema/index.ts';
import { NotFoundError, UnknownStageError } from './errors.ts';

export interface PipelineWithStages extends Pipeline {
  stages: Stage[];
}

// Archived pipelines and stages (a newer configuration dropped them while deals used them) are
// not offered: deals already in them stay, and are read by their ids.

export async function listPipelines(db: Db): Promise<PipelineWithStages[]> {
  const [pls, sts] = await Promise.all([
    db.select().from(pipelines).where(eq(pipelines.isArchived, false)).orderBy(asc(pipelines.sortOrder), asc(pipelines.id)),
    db.select().from(stages).where(eq(stages.isArchived, false)).orderBy(asc(stages.sortOrder), asc(stages.id)),
  ]);
  return pls.map((p) => ({ ...p, stages: sts.filter((s) => s.pipelineId === p.id) }));
}

export async function getPipeline(db: Db, ref: { id?: number; key?: string }): Promise<PipelineWithStages> {
  const cond = ref.id !== undefined ? eq(pipelines.id, ref.id) : ref.key !== undefined ? eq(pipelines.key, ref.key) : eq(pipelines.isDefault, true);
  const [p] = await db
    .select()
    .from(pipelines)
    .where(and(cond, eq(pipelines.isArchived, false)))
    .limit(1);
  if (!p) throw new NotFoundError('pipeline', ref.id ?? ref.key ?? 'default');
  const sts = await db
    .select()
    .from(stages)
    .where(and(eq(stages.pipelineId, p.id), eq(stages.isArchived, false)))
    .orderBy(asc(stages.sortOrder), asc(stages.id));
  return { ...p, stages: sts };
}

/** A stage of the pipeline a deal may go to, by id or key; anything else (an archived one too) is an UnknownStageError. */
export async function resolveStage(db: Db, pipelineId: number, stage: number | string): Promise<Stage> {
  const cond = typeof stage === 'number' ? eq(stages.id, stage) : eq(stages.key, stage);
  const [row] = await db
    .select()
    .from(stages)
    .where(and(eq(stages.pipelineId, pipelineId), cond, eq(stages.isArchived, false)));
  if (!row) throw new UnknownStageError(stage, pipelineId);
  return row;
}

export const isClosedStage = (s: Pick<Stage, 'kind'>) => s.kind !== 'open';

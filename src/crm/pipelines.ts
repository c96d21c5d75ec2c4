import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Pipeline, pipelines, type Stage, stages } from '../../db/schema/index.ts';
import { NotFoundError, UnknownStageError } from './errors.ts';

export interface PipelineWithStages extends Pipeline {
  stages: Stage[];
}

export async function listPipelines(db: Db): Promise<PipelineWithStages[]> {
  const [pls, sts] = await Promise.all([
    db.select().from(pipelines).where(eq(pipelines.isArchived, false)).orderBy(asc(pipelines.sortOrder), asc(pipelines.id)),
    db.select().from(stages).orderBy(asc(stages.sortOrder), asc(stages.id)),
  ]);
  return pls.map((p) => ({ ...p, stages: sts.filter((s) => s.pipelineId === p.id) }));
}

export async function getPipeline(db: Db, ref: { id?: number; key?: string }): Promise<PipelineWithStages> {
  const cond = ref.id !== undefined ? eq(pipelines.id, ref.id) : ref.key !== undefined ? eq(pipelines.key, ref.key) : eq(pipelines.isDefault, true);
  const [p] = await db.select().from(pipelines).where(cond).limit(1);
  if (!p) throw new NotFoundError('pipeline', ref.id ?? ref.key ?? 'default');
  const sts = await db.select().from(stages).where(eq(stages.pipelineId, p.id)).orderBy(asc(stages.sortOrder), asc(stages.id));
  return { ...p, stages: sts };
}

/** A stage of the pipeline, by id or key; anything else is an UnknownStageError. */
export async function resolveStage(db: Db, pipelineId: number, stage: number | string): Promise<Stage> {
  const cond = typeof stage === 'number' ? eq(stages.id, stage) : eq(stages.key, stage);
  const [row] = await db
    .select()
    .from(stages)
    .where(and(eq(stages.pipelineId, pipelineId), cond));
  if (!row) throw new UnknownStageError(stage, pipelineId);
  return row;
}

export const isClosedStage = (s: Pick<Stage, 'kind'>) => s.kind !== 'open';

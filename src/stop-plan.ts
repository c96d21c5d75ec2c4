// How a running process stops. In stages: first everything that takes work in (the HTTP server,
// polling, the recovery sweeps, the reminder sweep) stops taking it and finishes what it has,
// all together; then the job queue finishes its running jobs; then the database closes. The
// whole stop has a deadline: a stage still running at its share of it is left behind and named,
// so a handler stuck on a platform call cannot hold the process, and the database still closes.
import type { Logger } from 'pino';

export const stopStages = ['intake', 'queue', 'storage'] as const;
export type StopStage = (typeof stopStages)[number];

export interface StopStep {
  stage: StopStage;
  name: string;
  /** Gets the milliseconds left before its stage's share of the deadline. */
  stop: (remainingMs: number) => Promise<void>;
  /** What it still has in hand, for the line naming what was left running ("2 updates being handled"). */
  busy?: () => string | null;
}

export interface StopOutcome {
  /** Every step finished before the deadline. */
  finished: boolean;
  /** Steps that had not finished, with what they still had. */
  stillRunning: string[];
  ms: number;
}

/** The time kept for the job queue and the database when the intake runs late. */
export function storageReserveMs(totalMs: number): number {
  return Math.min(1000, Math.floor(totalMs / 4));
}

export class StopPlan {
  private steps: StopStep[] = [];
  private running: Promise<StopOutcome> | null = null;
  private pending = new Set<StopStep>();

  constructor(private readonly log: Logger) {}

  add(step: StopStep): void {
    this.steps.push(step);
  }

  /** What has not finished yet (empty before run). */
  stillRunning(): string[] {
    return [...this.pending].map((s) => {
      const busy = s.busy?.();
      return busy ? `${s.name} (${busy})` : s.name;
    });
  }

  /** Runs the plan once; later calls get the same outcome. */
  run(deadline: number, totalMs: number): Promise<StopOutcome> {
    this.running ??= this.runStages(deadline, totalMs);
    return this.running;
  }

  private async runStages(deadline: number, totalMs: number): Promise<StopOutcome> {
    const started = Date.now();
    const reserve = storageReserveMs(totalMs);
    const left: string[] = [];
    for (const stage of stopStages) {
      // The queue and the database get their share even when the intake ran late.
      const until = stage === 'intake' ? deadline - reserve : stage === 'queue' ? deadline - reserve / 2 : deadline;
      const steps = this.steps.filter((s) => s.stage === stage);
      for (const s of steps) this.pending.add(s);
      const all = Promise.all(steps.map((s) => this.runStep(s, until)));
      const timedOut = await within(all, until - Date.now());
      if (timedOut) {
        left.push(...this.stillRunning());
        this.pending.clear();
      }
    }
    return { finished: left.length === 0, stillRunning: left, ms: Date.now() - started };
  }

  private async runStep(step: StopStep, until: number): Promise<void> {
    try {
      await step.stop(Math.max(0, until - Date.now()));
    } catch (err) {
      this.log.error({ err, step: step.name }, 'error while stopping');
    } finally {
      this.pending.delete(step);
    }
  }
}

/** true when `ms` passed before `p` settled. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), Math.max(0, ms));
  });
  try {
    return await Promise.race([p.then(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

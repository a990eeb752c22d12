// Timing marks of the push → commit path (webhook received … pushed), for `npm run bench -- pipeline`.
// They go to a node:diagnostics_channel: with no subscriber (every real run) a mark is one boolean check,
// so the hot path does no extra work; the bench subscribes in-process and reads where the time goes.
import { channel } from 'node:diagnostics_channel'

export const STAGES = [
  'webhook received',
  'scan queued',
  'tags listed',
  'decided',
  'update started',
  'metadata fetched',
  'committed',
  'pushed',
] as const
export type Stage = (typeof STAGES)[number]

export interface StageMark {
  stage: Stage
  /** The image (webhook and scan stages) or config repository (update stages). */
  key: string
  /** performance.now() of the process. */
  at: number
}

export const stageChannel = channel('imagebot:stage')

export function markStage(stage: Stage, key: string): void {
  if (stageChannel.hasSubscribers) stageChannel.publish({ stage, key, at: performance.now() } as StageMark)
}

// Every benchmark returns figures; bench/run.ts prints each next to the bound its issue sets.
export interface BenchFigure {
  /** What was measured, e.g. "discover+decide+rewrite 10,000 HelmReleases". */
  name: string
  value: number
  unit: string
  /** The bound as text, e.g. "< 1.5 s"; absent for figures printed for information only. */
  bound?: string
  /** Whether the value is within its bound; absent when there is no bound. */
  ok?: boolean
}

export type Bench = () => Promise<BenchFigure[]>

/** A figure's number as the bench prints it: fewer decimals as it grows (0.29, 32.0, 109). */
export function formatNumber(value: number): string {
  return value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)
}

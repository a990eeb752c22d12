// The page's webhook counts and registry rate budget, read from the metrics the daemon already keeps
// (src/server/metrics.ts) rather than counted twice.
import type { Registry } from 'prom-client'
import type { PageExtras } from './model.js'

async function values(registry: Registry, name: string) {
  const metric = registry.getSingleMetric(name)
  return metric ? (await metric.get()).values : []
}

export async function metricsSummary(
  registry: Registry,
): Promise<Pick<PageExtras, 'webhooks' | 'rateBudget'>> {
  const webhooks = (await values(registry, 'imagebot_webhooks_total')).map((v) => ({
    type: String(v.labels.type),
    result: String(v.labels.result),
    count: v.value,
  }))
  const rateBudget = (await values(registry, 'imagebot_registry_ratelimit_remaining')).map((v) => ({
    registry: String(v.labels.registry),
    remaining: v.value,
  }))
  return { webhooks, rateBudget }
}

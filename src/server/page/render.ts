// The status page: model in, HTML string out. No I/O, so it is tested without a browser; every value goes
// through `html`, which escapes it. The only script submits the filter form when a select changes.
import { createHash } from 'node:crypto'
import { html, Markup } from './escape.js'
import { type ContainerRow, type PageFilter, type PageModel, type RepoRow, ROW_STATES } from './model.js'
import { STYLE } from './style.js'

const SCRIPT = `document.querySelectorAll('form.filter select').forEach(function(s){s.addEventListener('change',function(){s.form.submit()})})`

/** Content-Security-Policy of the page: no source but its own inline style and its one script. */
export const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

export function renderPage(model: PageModel): string {
  const refresh = model.extras.refreshSeconds ?? 15
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
${refresh > 0 ? html`<meta http-equiv="refresh" content="${refresh}">` : ''}
<title>imagebot status</title><style>${rawStyle()}</style></head>
<body>
<header><h1>imagebot</h1>
<span class="mute">generated ${time(model.generatedAt)} &middot; last discovery ${time(model.discoveredAt)} &middot; ${model.extras.backend === 'bullmq' ? 'Redis (BullMQ) backend' : 'embedded backend'}</span></header>
<main>
${model.extras.unreachable ? html`<p class="card err" id="unreachable">${model.extras.unreachable}: showing the last status this process read.</p>` : ''}
<h2>Config repositories</h2>
<div class="cards">${model.repos.length === 0 ? html`<p class="mute">No repository configured.</p>` : model.repos.map(repoCard)}</div>
${queueSection(model)}
<h2 id="containers">Automated containers</h2>
<p class="chips">${ROW_STATES.map(
    (state) =>
      html`<a href="${href({ ...model.filter, state, page: 1 })}"><span class="badge s-${state}">${state} ${model.counts[state]}</span></a>`,
  )}<a href="${href({ page: 1 })}">all ${model.total}</a></p>
${filterForm(model)}
<p class="mute" id="matching">${model.matching} of ${model.total} containers match${model.pages > 1 ? html`; page ${model.filter.page} of ${model.pages}` : ''}</p>
${model.rows.length > 0 ? rowsTable(model.rows) : html`<p>No container matches.</p>`}
${pager(model)}
</main><script>${rawScript()}</script></body></html>
`.text
}

function repoCard(repo: RepoRow): Markup {
  return html`<section class="card repo" data-repo="${repo.url}">
<div><span class="badge s-${repo.state.replaceAll(' ', '-')}">${repo.state}</span>${repo.suspended ? html` <span class="badge s-suspended">suspended</span>` : ''}</div>
<div class="mono">${repo.url}</div>
<dl class="kv"><dt>branch</dt><dd>${repo.branch ?? '?'}</dd>
<dt>last sync</dt><dd>${time(repo.lastRunAt)}</dd>
<dt>last bot commit</dt><dd>${lastCommit(repo)}</dd>
<dt>containers</dt><dd>${repo.containers}</dd></dl>
${repo.errors.length > 0 ? html`<ul class="err">${repo.errors.map((error) => html`<li>${error}</li>`)}</ul>` : ''}
${repo.warnings.length > 0 ? html`<ul class="warn">${repo.warnings.map((warning) => html`<li>warning: ${warning}</li>`)}</ul>` : ''}
</section>`
}

function lastCommit(repo: RepoRow): Markup | string {
  if (!repo.lastCommit) return 'none yet'
  const sha = html`<code>${repo.lastCommit.slice(0, 8)}</code>`
  const link = repo.commitLink ? html`<a href="${repo.commitLink}">${sha}</a>` : sha
  return html`${link} ${time(repo.lastCommitAt)}`
}

function queueSection(model: PageModel): Markup {
  const { queue, webhooks = [], rateBudget = [] } = model.extras
  return html`<h2>Queue and registries</h2><div class="cards">
<section class="card"><dl class="kv"><dt>jobs waiting</dt><dd>${queue?.waiting ?? '?'}</dd><dt>jobs active</dt><dd>${queue?.active ?? '?'}</dd></dl></section>
<section class="card"><strong>Webhooks</strong>${
    webhooks.length === 0
      ? html`<p class="mute">none received</p>`
      : html`<dl class="kv">${webhooks.map((w) => html`<dt>${w.type} ${w.result}</dt><dd>${w.count}</dd>`)}</dl>`
  }</section>
<section class="card"><strong>Registry rate budget left</strong>${
    rateBudget.length === 0
      ? html`<p class="mute">no registry reported a limit</p>`
      : html`<dl class="kv">${rateBudget.map((r) => html`<dt>${r.registry}</dt><dd>${r.remaining}</dd>`)}</dl>`
  }</section></div>`
}

function filterForm(model: PageModel): Markup {
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`
  const { filter } = model
  return html`<form class="filter" method="get" action="./#containers">
<label>repo <select name="repo">${option('', 'all', !filter.repo)}${model.repos.map((r) => option(r.url, r.url, filter.repo === r.url))}</select></label>
<label>namespace <select name="namespace">${option('', 'all', !filter.namespace)}${model.namespaces.map((n) => option(n, n, filter.namespace === n))}</select></label>
<label>state <select name="state">${option('', 'all', !filter.state)}${ROW_STATES.map((s) => option(s, s, filter.state === s))}</select></label>
<noscript><button type="submit">filter</button></noscript></form>`
}

function rowsTable(rows: ContainerRow[]): Markup {
  return html`<div><table class="rows"><thead><tr><th>state</th><th>workload / container</th><th>file</th><th>tag</th><th>policy</th><th>newest seen</th><th>decision</th><th>scans</th></tr></thead><tbody>
${rows.map(containerRow)}
</tbody></table></div>`
}

function containerRow(row: ContainerRow): Markup {
  const attention = row.state === 'error' || row.state === 'stuck' || row.state === 'locked'
  return html`<tr class="row${attention ? ' attention' : ''}" data-state="${row.state}">
<td data-label="state"><span class="badge s-${row.state}">${row.state}</span></td>
<td data-label="workload"><span class="mono">${row.workload}</span><br>${row.container} <span class="mute">in ${row.repo}</span></td>
<td data-label="file" class="mono">${row.file}</td>
<td data-label="tag"><span class="mono">${row.tag}</span><br><span class="mute">${row.image}</span></td>
<td data-label="policy" class="mono">${row.policy}</td>
<td data-label="newest seen" class="mono newest">${row.newest ?? ''}</td>
<td data-label="decision" class="reason">${row.next ? html`<strong>&rarr; <span class="mono">${row.next}</span></strong><br>` : ''}${row.reason}${row.registryError ? html`<div class="err">registry: ${row.registryError}</div>` : ''}${(row.warnings ?? []).map((warning) => html`<div class="warn">warning: ${warning}</div>`)}</td>
<td data-label="scans">last ${time(row.lastScanAt)}<br>next ${time(row.nextScanAt)}${row.tagsSeen !== undefined ? html`<br><span class="mute">${row.tagsSeen} tags seen</span>` : ''}</td>
</tr>`
}

function pager(model: PageModel): Markup | string {
  if (model.pages <= 1) return ''
  const { page } = model.filter
  return html`<nav class="pages">${page > 1 ? html`<a href="${href({ ...model.filter, page: page - 1 })}">&larr; previous</a>` : ''}<span>page ${page} of ${model.pages}</span>${page < model.pages ? html`<a href="${href({ ...model.filter, page: page + 1 })}">next &rarr;</a>` : ''}</nav>`
}

function href(filter: PageFilter): string {
  const query = new URLSearchParams()
  if (filter.repo) query.set('repo', filter.repo)
  if (filter.namespace) query.set('namespace', filter.namespace)
  if (filter.state) query.set('state', filter.state)
  if (filter.page > 1) query.set('page', String(filter.page))
  const text = query.toString()
  return `./${text ? `?${text}` : ''}#containers`
}

function time(iso: string | undefined): Markup | string {
  if (!iso) return 'never'
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>`
}

// The stylesheet and script are constants of this module, never data, so they go in unescaped.
const rawStyle = () => new Markup(STYLE)
const rawScript = () => new Markup(SCRIPT)

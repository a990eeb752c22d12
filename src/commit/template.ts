// The commit message template (config `commit.message`): `{{name}}` placeholders and `{{#list}}…{{/list}}`
// sections over changes or images. Deliberately tiny: no nesting, no escaping, no logic.
import { type ChangeEntry, changeLine, type MessageData, oneLine } from './data.js'

/** Placeholders usable anywhere. */
export const TEMPLATE_VALUES = ['subject', 'count', 'changes', 'images', 'workloads', 'files'] as const
/** Placeholders usable only inside `{{#changes}}…{{/changes}}`. */
export const CHANGE_FIELDS = ['file', 'workload', 'container', 'field', 'oldRef', 'newRef', 'policy'] as const
/** Placeholders usable only inside `{{#images}}…{{/images}}`. */
export const IMAGE_FIELDS = ['image'] as const
const SECTIONS = ['changes', 'images'] as const

type Section = (typeof SECTIONS)[number]
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: string }
  | { kind: 'section'; name: Section; body: Node[] }

const TOKEN = /\{\{\s*([#/]?)\s*([A-Za-z]+)\s*\}\}/g

/** Problems with a template, each naming the placeholder at fault; an empty list means it is valid. */
export function validateCommitTemplate(template: string): string[] {
  return parse(template).errors
}

export function renderTemplate(template: string, data: MessageData): string {
  const { nodes, errors } = parse(template)
  if (errors.length > 0) throw new Error(`invalid commit message template: ${errors.join('; ')}`)
  return renderNodes(nodes, data, undefined)
}

function parse(template: string): { nodes: Node[]; errors: string[] } {
  const errors: string[] = []
  const root: Node[] = []
  let open: { name: Section; body: Node[] } | undefined
  let last = 0
  const push = (node: Node) => (open ? open.body : root).push(node)
  for (const match of template.matchAll(TOKEN)) {
    push({ kind: 'text', text: template.slice(last, match.index) })
    last = match.index + match[0].length
    const [token, sigil, name = ''] = match
    if (sigil === '#') {
      if (open) errors.push(`${token}: sections cannot be nested (inside {{#${open.name}}})`)
      else if (isSection(name)) open = { name, body: [] }
      else errors.push(`${token}: unknown section; use one of ${SECTIONS.map((s) => `{{#${s}}}`).join(', ')}`)
    } else if (sigil === '/') {
      if (open?.name === name) {
        root.push({ kind: 'section', name, body: open.body })
        open = undefined
      } else errors.push(`${token} does not close an open section`)
    } else {
      const allowed = allowedValues(open?.name)
      if (allowed.includes(name)) push({ kind: 'value', name })
      else
        errors.push(`unknown placeholder ${token}; use one of ${allowed.map((v) => `{{${v}}}`).join(', ')}`)
    }
  }
  push({ kind: 'text', text: template.slice(last) })
  if (open) errors.push(`{{#${open.name}}} is never closed with {{/${open.name}}}`)
  const stray = template.replace(TOKEN, '').indexOf('{{')
  if (stray >= 0)
    errors.push('malformed placeholder: "{{" must be followed by a name and "}}", e.g. {{subject}}')
  return { nodes: root, errors }
}

function isSection(name: string): name is Section {
  return (SECTIONS as readonly string[]).includes(name)
}

function allowedValues(section: Section | undefined): readonly string[] {
  if (section === 'changes') return [...TEMPLATE_VALUES, ...CHANGE_FIELDS]
  if (section === 'images') return [...TEMPLATE_VALUES, ...IMAGE_FIELDS]
  return TEMPLATE_VALUES
}

type Item = { change: ChangeEntry } | { image: string }

function renderNodes(nodes: Node[], data: MessageData, item: Item | undefined): string {
  return nodes
    .map((node) => {
      if (node.kind === 'text') return node.text
      if (node.kind === 'value') return placeholderValue(node.name, data, item)
      const items: Item[] =
        node.name === 'changes'
          ? data.changes.map((change) => ({ change }))
          : data.images.map((image) => ({ image }))
      return items.map((each) => renderNodes(node.body, data, each)).join('')
    })
    .join('')
}

function placeholderValue(name: string, data: MessageData, item: Item | undefined): string {
  if (item && 'change' in item && (CHANGE_FIELDS as readonly string[]).includes(name)) {
    return oneLine(String(item.change[name as (typeof CHANGE_FIELDS)[number]]))
  }
  if (item && 'image' in item && name === 'image') return oneLine(item.image)
  switch (name) {
    case 'subject':
      return data.subject
    case 'count':
      return String(data.count)
    case 'changes':
      return data.changes.map(changeLine).join('\n')
    case 'images':
      return data.images.join('\n')
    case 'workloads':
      return data.workloads.join('\n')
    default:
      return data.files.join('\n')
  }
}

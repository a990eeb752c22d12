// Flux messageTemplate rendering: Go text/template on Flux's template data.
import type { UpdateResult } from '../../types.js'
import { sampleResult, templateData } from './data.js'
import { render } from './evaluate.js'

export { TemplateError } from './lex.js'

export function renderMessageTemplate(
  template: string,
  result: UpdateResult,
  automation: { namespace: string; name: string },
): string {
  return render(template, templateData(result, automation))
}

/** Throws a TemplateError naming the first unsupported construct, function or field. */
export function checkMessageTemplate(template: string): void {
  render(template, templateData(sampleResult(), { namespace: 'flux-system', name: 'automation' }))
}

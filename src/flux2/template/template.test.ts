import { describe, expect, it } from 'vitest'
import type { Change, UpdateResult } from '../../types.js'
import { checkMessageTemplate, renderMessageTemplate } from './index.js'

function change(workload: string, oldValue: string, newValue: string, setter: string): Change {
  return {
    workload,
    container: 'app',
    field: 'image',
    oldRef: oldValue,
    newRef: newValue,
    policy: '',
    oldValue,
    newValue,
    setter,
  }
}

const result: UpdateResult = {
  files: new Map([
    [
      'apps/my-app/deployment.yaml',
      {
        text: '',
        changes: [
          change(
            'apps:deployment/my-app',
            'docker.io/nginx:1.25.4',
            'docker.io/nginx:1.25.5',
            'flux-system:nginx',
          ),
          change(
            'apps:deployment/my-app',
            'docker.io/org/app:1.0.0',
            'docker.io/org/app:1.0.1',
            'flux-system:app',
          ),
        ],
      },
    ],
  ]),
}
const automation = { namespace: 'flux-system', name: 'my-app' }

describe('messageTemplate', () => {
  // The v1beta2 migration example of the Flux 2.3 release notes. The notes show a blank line before
  // "Files:", but Go's `-}}` trims every white space character after it, newlines included, so
  // text/template makes none; we follow Go, which is what the controller runs.
  it('renders the Flux 2.3 migration example as text/template does', () => {
    const template = [
      'Automated image update',
      '        ',
      'Changes:',
      '{{ range .Changed.Changes -}}',
      '- {{ .OldValue }} -> {{ .NewValue }}',
      '{{ end -}}',
      '',
      'Files:',
      '{{ range $filename, $_ := .Changed.FileChanges -}}',
      '- {{ $filename }}',
      '{{ end -}}',
    ].join('\n')
    expect(renderMessageTemplate(template, result, automation)).toBe(
      [
        'Automated image update',
        '        ',
        'Changes:',
        '- docker.io/nginx:1.25.4 -> docker.io/nginx:1.25.5',
        '- docker.io/org/app:1.0.0 -> docker.io/org/app:1.0.1',
        'Files:',
        '- apps/my-app/deployment.yaml',
        '',
      ].join('\n'),
    )
  })

  // The ImageUpdateAutomation documentation's template: objects, their kinds and each change.
  it('renders the documented objects template with nested ranges and variables', () => {
    const template = `Automated image update

Automation name: {{ .AutomationObject }}

Objects:
{{ range $resource, $changes := .Changed.Objects -}}
- {{ $resource.Kind }} {{ $resource.Name }}
  Changes:
{{- range $_, $change := $changes }}
    - {{ $change.OldValue }} -> {{ $change.NewValue }}
{{ end -}}
{{ end -}}
`
    expect(renderMessageTemplate(template, result, automation)).toBe(`Automated image update

Automation name: flux-system/my-app

Objects:
- Deployment my-app
  Changes:
    - docker.io/nginx:1.25.4 -> docker.io/nginx:1.25.5

    - docker.io/org/app:1.0.0 -> docker.io/org/app:1.0.1
`)
  })

  it('supports if/else, print, println, printf and Sprig string functions', () => {
    const template = `{{ if gt (len .Changed.Changes) 1 }}{{ printf "chore: %d images" (len .Changed.Changes) }}{{ else }}one{{ end }}
{{ range .Changed.Changes }}{{ println (upper (trimPrefix "docker.io/" .NewValue)) }}{{ end -}}
{{ print .AutomationObject.Namespace "/" .AutomationObject.Name }} {{ .Changed.Changes | len | print }}
{{ $first := index .Changed.Changes 0 }}{{ $first.Setter | replace ":" "/" | quote }} {{ join ", " (splitList "." "a.b") }}`
    expect(renderMessageTemplate(template, result, automation)).toBe(`chore: 2 images
NGINX:1.25.5
ORG/APP:1.0.1
flux-system/my-app 2
"flux-system/nginx" a, b`)
  })

  it('names what it does not support, before anything is committed', () => {
    expect(() => checkMessageTemplate('{{ range .Updated.Images }}{{ . }}{{ end }}')).toThrow(
      "messageTemplate: can't evaluate field Updated in type TemplateData",
    )
    expect(() => checkMessageTemplate('{{ template "x" . }}')).toThrow('{{template}} is not supported')
    expect(() => checkMessageTemplate('{{ sha256sum .AutomationObject }}')).toThrow(
      'function "sha256sum" is not supported',
    )
    expect(() => checkMessageTemplate('{{ if .Changed }}x')).toThrow('{{if}} has no {{end}}')
    expect(() => checkMessageTemplate('{{ .Changed.Changes')).toThrow(/unclosed action/)
    expect(() => checkMessageTemplate('{{ range .Changed.Changes }}{{ .Old }}{{ end }}')).toThrow(
      "can't evaluate field Old in type Change",
    )
  })
})

// The normalized form of a tag filter annotation value. Parsing here only splits the prefix;
// the policy constructors (factory.ts) validate the pattern itself.

export type PolicyKind = 'glob' | 'semver' | 'regex'

export interface PolicySpec {
  kind: PolicyKind
  pattern: string
}

export const DEFAULT_POLICY: PolicySpec = { kind: 'glob', pattern: '*' }

/** `glob:dev-*`, `semver:~1.2`, `regex:^x`, `regexp:^x`, or a bare value meaning glob. */
export function parsePolicySpec(value: string): PolicySpec {
  const trimmed = value.trim()
  const colon = trimmed.indexOf(':')
  const prefix = colon >= 0 ? trimmed.slice(0, colon) : ''
  const rest = trimmed.slice(colon + 1)
  switch (prefix) {
    case 'glob':
      return { kind: 'glob', pattern: rest }
    case 'semver':
      return { kind: 'semver', pattern: rest }
    case 'regex':
    case 'regexp':
      return { kind: 'regex', pattern: rest }
    default:
      return { kind: 'glob', pattern: trimmed }
  }
}

export function formatPolicySpec(spec: PolicySpec): string {
  return `${spec.kind}:${spec.pattern}`
}

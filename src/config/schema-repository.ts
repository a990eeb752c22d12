// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax, not a template
// imagebot.yaml's repositories[]: the git remote, its branches, paths and namespaces, credentials and how
// bot commits look (author, message, signing, CI skip). Part of the one schema (schema.ts).
import * as z from 'zod'
import { validateCommitTemplate } from '../commit/index.js'
import { expecting, httpUrl, strict, stringList, text } from './fields.js'
import { hasUrlCredentials, splitUrlCredentials } from './url-credentials.js'

export const DEFAULT_AUTHOR = { name: 'imagebot', email: 'imagebot@users.noreply.github.com' }

const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[^\s~^:?*[\\\x00-\x1f]+(?<![./]|\.lock)$/
const branch = (description: string) =>
  text()
    .regex(BRANCH, { error: 'expected a git branch name such as main or release/1.x' })
    .meta({ description })

const gitAuth = strict({
  username: text().meta({
    description: 'User name; for GitHub tokens any non-empty value, e.g. x-access-token.',
  }),
  password: text().meta({
    description: 'Password or access token; write "${GIT_TOKEN}" to read it from env.',
  }),
})

export const DEFAULT_CI_SKIP = '[ci skip]'

/** An armored OpenPGP secret key or an SSH private key, inline (usually "${VAR}") or in a file; its
 * passphrase likewise. Which of the two it is comes from the key text (src/git/signing.ts). */
const signingKey = strict({
  key: text()
    .optional()
    .meta({ description: 'The OpenPGP or SSH secret key; write "${IMAGEBOT_SIGNING_KEY}".' }),
  keyFile: text()
    .optional()
    .meta({ description: 'File holding the OpenPGP or SSH secret key; relative to this file.' }),
  passphrase: text().optional().meta({ description: 'Passphrase of the key; write "${VAR}".' }),
  passphraseFile: text().optional().meta({ description: 'File holding the passphrase (one line).' }),
}).superRefine((signing, ctx) => {
  const both = (a: keyof typeof signing, b: keyof typeof signing, what: string) => {
    if (signing[a] !== undefined && signing[b] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [b],
        message: `give ${what} once: ${a} or ${b}`,
        params: { hideValue: true },
      })
  }
  both('key', 'keyFile', 'the key')
  both('passphrase', 'passphraseFile', 'the passphrase')
  if (signing.key === undefined && signing.keyFile === undefined)
    ctx.addIssue({ code: 'custom', message: 'expected key or keyFile', params: { hideValue: true } })
})

const commitSettings = strict({
  author: strict({ name: text(), email: text() })
    .default(() => ({ ...DEFAULT_AUTHOR }))
    .meta({ description: 'Author and committer of bot commits.' }),
  message: text()
    .superRefine((template, ctx) => {
      for (const message of validateCommitTemplate(template)) ctx.addIssue({ code: 'custom', message })
    })
    .optional()
    .meta({ description: 'Commit message template (see the commit message section).' }),
  ciSkip: z
    .boolean({ error: expecting('expected true or false') })
    .optional()
    .meta({
      description: `Append ciSkipMessage (default "${DEFAULT_CI_SKIP}") to bot commit subjects (Flux v1 --git-ci-skip).`,
    }),
  ciSkipMessage: text()
    .refine((value) => !/[\r\n]/.test(value), { error: 'expected one line' })
    .optional()
    .meta({ description: 'The CI-skip text; giving it turns ciSkip on (Flux v1 --git-ci-skip-message).' }),
  signingKey: signingKey
    .optional()
    .meta({ description: 'Sign bot commits with this OpenPGP or SSH key (Flux v1 --git-signing-key).' }),
}).superRefine((commit, ctx) => {
  if (commit.ciSkip === false && commit.ciSkipMessage !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['ciSkipMessage'],
      message: 'has no effect with ciSkip: false; remove one of them',
      params: { hideValue: true },
    })
  }
})

export const repository = strict({
  url: httpUrl('git smart-HTTP remote', 'moved').meta({
    description: 'Git remote, http(s) only; credentials written in it are moved to auth (with a warning).',
  }),
  // No zod default: an unset branch is told apart from `branch: main`, because only an unset one lets an
  // ImageUpdateAutomation in the repository decide (run/automation.ts).
  branch: branch(
    "Branch to read and update; default: the ImageUpdateAutomation's checkout branch, else main.",
  ).optional(),
  pushBranch: branch(
    "Branch to push bot commits to; default: the ImageUpdateAutomation's push branch, else `branch`.",
  ).optional(),
  paths: stringList('path')
    .optional()
    .meta({ description: 'Path prefixes to scan; default: whole repository.' }),
  namespaces: stringList('namespace').optional().meta({ description: 'Namespaces to update; default: all.' }),
  auth: gitAuth.optional(),
  commit: commitSettings.prefault({}),
})
  .superRefine((entry, ctx) => {
    if (entry.auth && hasUrlCredentials(entry.url))
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'credentials both in the URL and in auth; keep auth',
      })
  })
  .transform((entry) => {
    const { url, auth } = splitUrlCredentials(entry.url)
    const moved = entry.auth ?? auth
    const branch = entry.branch ?? 'main'
    return {
      ...entry,
      url,
      ...(moved && { auth: moved }),
      branch,
      pushBranch: entry.pushBranch ?? branch,
      /** Whether imagebot.yaml names the branch itself; only an unset one is decided by the automations. */
      explicitBranch: entry.branch !== undefined,
      explicitPushBranch: entry.pushBranch !== undefined,
    }
  })

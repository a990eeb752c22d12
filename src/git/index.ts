// Write-back to git: the only module that imports isomorphic-git. Knows nothing of YAML.
export { type CheckoutOptions, ConfigRepoCheckout } from './checkout.js'
export { GitError, type GitErrorKind } from './errors.js'
export type { SyncOptions, SyncState } from './known-head.js'
export { PUSH_BRANCH_DEPTH } from './push-base.js'
export { type Author, type GitRemoteSettings, type PushOutcome, redactUrl } from './settings.js'
export { type CommitSigner, createCommitSigner, type SigningKeySettings } from './signing.js'
export type { ReadFilesOptions, RepoFile, SkipReason } from './tree-read.js'

// Commit messages from the UpdateResult. Knows nothing of git.
export { IMAGE_TRAILER, WORKLOAD_TRAILER } from './data.js'
export { buildCommitMessage, type CommitMessageOptions, withCiSkip } from './message.js'
export { type AnnotationCommitChange, policyCommitMessage } from './policy-message.js'
export { CHANGE_FIELDS, IMAGE_FIELDS, TEMPLATE_VALUES, validateCommitTemplate } from './template.js'

export { buildUpdateResult, type RewriteOutcome, rewriteFiles } from './result.js'
export { type FileRewrite, rewriteFile, type TagEdit } from './rewrite-file.js'
export { readsAsString, renderScalar } from './scalar.js'

// annotate: Flux v1 policy annotations written into manifests byte-exactly (the `imagebot policy` verb).
// Pure: text in, text out; git and the CLI live elsewhere.
export { type Annotated, type AnnotationChange, annotateWorkload, type PolicyEdit } from './edit.js'
export { BOOLEAN_POLICIES, LOCK_DETAILS, policyOfKey, spellings, tagPolicy } from './keys.js'
export { AnnotateError, annotationsOf, parseDocuments, type WorkloadDoc, workloadsIn } from './workloads.js'

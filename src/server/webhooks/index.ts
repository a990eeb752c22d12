export { header, hmacSha256Valid, secretsEqual, signatureWellFormed, signSha256 } from './auth.js'
export {
  handleWebhook,
  rejectWebhookHead,
  WEBHOOK_SOURCES,
  webhookBodyLimit,
  webhookSignsBody,
} from './handle.js'
export {
  MAX_SIGNED_WEBHOOK_BODY_BYTES,
  MAX_WEBHOOK_BODY_BYTES,
  PayloadError,
  WEBHOOK_TYPES,
  type WebhookHead,
  type WebhookOutcome,
  type WebhookRequest,
  type WebhookSource,
  type WebhookType,
} from './types.js'

export { header, hmacSha256Valid, secretsEqual, signSha256 } from './auth.js'
export { handleWebhook, WEBHOOK_SOURCES } from './handle.js'
export {
  MAX_WEBHOOK_BODY_BYTES,
  PayloadError,
  WEBHOOK_TYPES,
  type WebhookOutcome,
  type WebhookRequest,
  type WebhookSource,
  type WebhookType,
} from './types.js'

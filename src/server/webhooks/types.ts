// The webhook receivers' contract. A webhook only says "scan this image repository now": a hint that starts
// a registry scan, never trusted as the truth about tags.

export type WebhookType = 'dockerhub' | 'github' | 'quay' | 'harbor' | 'distribution' | 'generic'

export const WEBHOOK_TYPES: readonly WebhookType[] = [
  'dockerhub',
  'github',
  'quay',
  'harbor',
  'distribution',
  'generic',
]

/** The HTTP layer rejects larger bodies (413) before calling handleWebhook; registries send a few KiB. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024
/**
 * Body limit of types that sign the body (github, generic): the body must be read before it can be
 * authenticated, so the bytes an anonymous client can make the daemon hold stay small. GitHub package
 * events are a few KiB; 256 KiB leaves room for large package_version objects.
 */
export const MAX_SIGNED_WEBHOOK_BODY_BYTES = 256 * 1024

/** What is known of a webhook request before its body is read: the type, the URL secret and the headers. */
export interface WebhookHead {
  type: WebhookType
  /** The `<secret>` of `POST /hooks/<type>/<secret>`, for sources that cannot sign or send headers. */
  pathSecret?: string
  /** As node:http gives them (lower-case names); looked up case-insensitively anyway. */
  headers: Record<string, string | string[] | undefined>
}

export interface WebhookRequest extends WebhookHead {
  /** The raw body: signatures are computed over these exact bytes. */
  body: Buffer
}

export type WebhookOutcome =
  | {
      ok: true
      /** Image repositories as written in image refs: `ghcr.io/acme/app`, `docker.io/acme/app`, `127.0.0.1:5000/app`. */
      repositories: string[]
    }
  | WebhookRejection

export type WebhookRejection = { ok: false; status: 400 | 401; message: string }

/** One webhook source: how it authenticates and where its payload names the repository. */
export interface WebhookSource {
  /**
   * Checked from the URL and headers alone, before any byte of the body is read: the whole check for a secret
   * in the path or a header; for body-signing types, that the signature header is there and well-formed.
   */
  authenticateHead(request: WebhookHead, secret: string): boolean
  /** Types whose signature covers the body: checked once the body (within the tight limit) is read. */
  authenticateBody?(request: WebhookRequest, secret: string): boolean
  /** Repositories named by a parsed JSON payload; throws PayloadError when the payload is not this source's. */
  repositories(payload: unknown, request: WebhookRequest): string[]
}

/** A payload that is JSON but not the shape its source sends: a 400 with this message. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError'
}

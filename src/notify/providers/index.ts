import { discord } from './discord.js'
import { generic, genericHmac } from './generic.js'
import { msteams } from './msteams.js'
import { slack } from './slack.js'
import type { NotifyType, Provider } from './types.js'

export { NOTIFY_TYPES, type NotifyType, type OutgoingRequest } from './types.js'

export const PROVIDERS: Record<NotifyType, Provider> = {
  slack,
  msteams,
  discord,
  generic,
  'generic-hmac': genericHmac,
}

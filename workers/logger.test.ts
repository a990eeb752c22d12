import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger, safeUrl } from './logger.js'

function capture() {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  return { lines, logger: createLogger({ destination }) }
}

describe('createLogger', () => {
  it('writes JSON with the context first and redacts secrets at any of the first three levels', () => {
    const { lines, logger } = capture()
    logger.info(
      {
        configRepo: 'https://git/a.git',
        token: 't0',
        auth: { username: 'u', password: 'p1' },
        registry: { auth: { password: 'p2' }, secret: 's1' },
        request: { headers: { authorization: 'Bearer b1' } },
      },
      'update pushed',
    )
    const text = lines.join('')
    for (const secret of ['t0', 'p1', 'p2', 's1', 'Bearer b1']) expect(text).not.toContain(secret)
    const line = JSON.parse(text) as Record<string, unknown>
    expect(line).toMatchObject({ msg: 'update pushed', configRepo: 'https://git/a.git', auth: '[Redacted]' })
  })
})

describe('safeUrl', () => {
  it('drops user and password', () => {
    expect(safeUrl('redis://:hunter2@redis.internal:6379/0')).toBe('redis://redis.internal:6379/0')
    expect(safeUrl('not a url')).toBe('not a url')
  })
})

import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { ScalarLocation } from '../types.js'
import { readsAsString, renderScalar } from './scalar.js'

const at = (style: string, value: string): ScalarLocation => ({ path: ['tag'], range: [0, 0], value, style })

describe('readsAsString', () => {
  it.each(['dev-abc', 'v1.2.3', 'nginx:1.2', 'main', 'x1', 'latest', 'sha-1e3f'])(
    '%s stays a string',
    (text) => {
      expect(readsAsString(text)).toBe(true)
    },
  )

  it.each([
    '1.10',
    '150',
    '1e3',
    '0x1F',
    'true',
    'null',
    'yes',
    'on',
    'n',
    '2024-01-02',
    '1_000',
    '0777',
    '12:30',
  ])('%s does not (YAML 1.2 or 1.1)', (text) => {
    expect(readsAsString(text)).toBe(false)
  })
})

describe('renderScalar', () => {
  it('keeps the quote style', () => {
    expect(renderScalar(at('QUOTE_SINGLE', 'v1'), '150')).toEqual({ source: "'150'", value: '150' })
    expect(renderScalar(at('QUOTE_DOUBLE', 'a:1'), 'a:2')).toEqual({ source: '"a:2"', value: 'a:2' })
  })

  it('quotes a plain string whose new text would read as another type', () => {
    expect(renderScalar(at('PLAIN', 'dev-abc'), '1.10')).toEqual({ source: '"1.10"', value: '1.10' })
    expect(renderScalar(at('PLAIN', 'dev-abc'), 'dev-def')).toEqual({ source: 'dev-def', value: 'dev-def' })
  })

  it('keeps a plain integer tag plain when the new tag is a small integer', () => {
    expect(renderScalar(at('PLAIN', '150'), '151')).toEqual({ source: '151', value: 151 })
    expect(renderScalar(at('PLAIN', '150'), '1000000')).toEqual({ source: '"1000000"', value: '1000000' })
    expect(renderScalar(at('PLAIN', '150'), '0151')).toEqual({ source: '"0151"', value: '0151' })
    expect(renderScalar(at('PLAIN', '1.10'), '1.11')).toEqual({ source: '"1.11"', value: '1.11' })
    expect(renderScalar(at('PLAIN', '150'), 'v151')).toEqual({ source: 'v151', value: 'v151' })
  })

  it('writes sources that read back as the intended value', () => {
    for (const next of ['1.10', 'yes', '2024-01-02', 'a"b', 'a\\b', 'x\ty']) {
      for (const style of ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE']) {
        const rendered = renderScalar(at(style, 'old'), next)
        if ('error' in rendered) throw new Error(rendered.error)
        expect(parse(`k: ${rendered.source}`, { version: '1.1' }).k).toBe(next)
        expect(parse(`k: ${rendered.source}`).k).toBe(next)
      }
    }
  })

  it('refuses block scalars', () => {
    expect(renderScalar(at('BLOCK_LITERAL', 'x'), 'y')).toEqual({
      error: 'a BLOCK_LITERAL scalar cannot be edited in place',
    })
  })
})

describe('renderScalar with an explicit tag', () => {
  const tagged = (tag: string, value: string, style = 'PLAIN'): ScalarLocation => ({
    ...at(style, value),
    tag: `tag:yaml.org,2002:${tag}`,
  })

  it('writes into !!int and !!float only an integer they can hold', () => {
    expect(renderScalar(tagged('int', '150'), '151')).toEqual({ source: '151', value: 151 })
    expect(renderScalar(tagged('float', '1.5'), '2')).toEqual({ source: '2', value: 2 })
    for (const next of ['v1.2.4', '1.10', '1000000', '0151']) {
      const rendered = renderScalar(tagged('int', '150'), next)
      expect(rendered).toEqual({
        error: expect.stringContaining(`is marked !!int and cannot hold "${next}"`),
      })
    }
    expect(renderScalar(tagged('float', '1.5'), '1.6')).toMatchObject({ error: /marked !!float/ })
  })

  it('writes into !!str whatever a string holds, quoted where an untagged string would be', () => {
    expect(renderScalar(tagged('str', '150'), '151')).toEqual({ source: '"151"', value: '151' })
    expect(renderScalar(tagged('str', '150'), 'v1.2.4')).toEqual({ source: 'v1.2.4', value: 'v1.2.4' })
    expect(renderScalar(tagged('str', 'x', 'QUOTE_SINGLE'), '1.10')).toEqual({
      source: "'1.10'",
      value: '1.10',
    })
  })

  it('refuses tags it cannot reason about', () => {
    const custom = { ...at('PLAIN', 'x'), tag: '!custom' }
    expect(renderScalar(custom, 'y')).toEqual({
      error: 'the value has the explicit tag !custom, which imagebot does not write',
    })
    expect(renderScalar(tagged('binary', 'eA=='), 'eQ==')).toMatchObject({ error: /explicit tag/ })
  })
})

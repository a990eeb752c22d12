// Adds lock entries for platform-specific optional packages that `npm install` left out because the package
// registry it used did not serve them (seen with mirrors lacking e.g. @biomejs/cli-android-arm64). `npm ci`
// refuses a lock missing them, on every machine. Each entry carries its os/cpu/libc, so npm skips it on other
// platforms without fetching. Run after `npm install` changes the lock: node scripts/complete-lock.mjs
import { readFileSync, writeFileSync } from 'node:fs'

const LOCK = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(LOCK, 'utf8'))
const OS = ['android', 'darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'sunos', 'aix']
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64']

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = parts.find((part) => OS.includes(part))
  const cpu = parts.find((part) => CPU.includes(part))
  const libc = parts.includes('musl') ? 'musl' : parts.includes('gnu') ? 'glibc' : undefined
  return os && cpu ? { os, cpu, libc } : undefined
}

let added = 0
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`
    const platform = platformOf(name)
    if (lock.packages[key] || !platform || !/^\d+\.\d+\.\d+/.test(version)) continue
    lock.packages[key] = {
      version,
      cpu: [platform.cpu],
      ...(entry.dev && { dev: true }),
      ...(platform.libc && { libc: [platform.libc] }),
      optional: true,
      os: [platform.os],
    }
    added++
    console.log(`added ${key}@${version} (${platform.os}/${platform.cpu}) for ${path || 'the root'}`)
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
)
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`${added} entries added`)

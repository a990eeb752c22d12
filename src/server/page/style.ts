// The page's only stylesheet, inline so the page works air-gapped (no CDN, no web fonts). Narrow screens get
// one card per row instead of a wide table.
export const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--mute:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--err:#c62828;--warn:#a15c00;--ok:#1a7f37;--info:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mute:#9198a1;--line:#30363d;--card:#161b22;
--err:#ff7b72;--warn:#d29922;--ok:#3fb950;--info:#58a6ff}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header,main{padding:12px 20px}header{border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:8px 24px;align-items:baseline}
h1{font-size:20px;margin:0}h2{font-size:16px;margin:20px 0 8px}
.mute{color:var(--mute)}time{white-space:nowrap}code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow-wrap:anywhere}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;border:1px solid currentColor}
.s-error,.s-stuck{color:var(--err)}.s-locked,.s-partial,.s-held,.s-suspended{color:var(--warn)}
.s-ok{color:var(--ok)}.s-pending,.s-not-run-yet{color:var(--info)}
.chips a{margin-right:8px;text-decoration:none}
form.filter{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
select,button{font:inherit;padding:3px 6px;max-width:100%}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{font-size:12px;color:var(--mute);font-weight:600}
tr.attention{background:color-mix(in srgb,var(--err) 7%,transparent)}
.reason{max-width:42ch}.err{color:var(--err)}.warn{color:var(--warn)}
nav.pages{margin:10px 0;display:flex;gap:12px;align-items:center}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}dt{color:var(--mute)}dd{margin:0}
@media (max-width:760px){header,main{padding:10px}
table.rows thead{display:none}table.rows tr{display:block;border:1px solid var(--line);border-radius:6px;margin:0 0 10px;padding:4px}
table.rows td{display:grid;grid-template-columns:9em 1fr;border:0;padding:3px 6px}
table.rows td::before{content:attr(data-label);color:var(--mute);font-size:12px}}
`

/**
 * The inline stylesheet and scripts of index.html and compare.html. Everything is inline so the page opens from
 * file:// with no network request; the scripts only switch language and sort tables (the page reads fine without).
 */

export const PAGE_STYLE = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --rec: #dafbe1; --line: #d0d7de; --bg2: #f6f8fa; }
html.lang-ja [lang="en"], html.lang-en [lang="ja"] { display: none !important; }
body { font: 15px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif;
  max-width: 1240px; margin: 0 auto; padding: 0.5rem 1.5rem 4rem; color: #1f2328; background: #fff; }
h1 { margin: 0.6rem 0 0.2rem; font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid var(--line); }
h3 { margin: 1.2rem 0 0.3rem; } h4 { margin: 0.8rem 0 0.2rem; font-size: 0.95rem; }
a { color: #0969da; }
header.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 1rem; }
.langs { white-space: nowrap; } .langs button { font: inherit; font-size: 0.85rem; padding: 0.15rem 0.6rem; border: 1px solid var(--line); background: #fff; cursor: pointer; }
.langs button.on { background: #1f2328; color: #fff; border-color: #1f2328; }
.banner { border: 2px solid var(--warn); color: var(--warn); padding: 0.4rem 0.9rem; font-weight: 700; margin: 0.5rem 0; }
.banner.bad { border-color: var(--bad); color: var(--bad); }
.meaning { font-size: 1.05rem; background: var(--bg2); border-left: 4px solid var(--ok); padding: 0.5rem 0.9rem; }
.muted { color: var(--muted); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
th, td { border: 1px solid var(--line); padding: 0.2rem 0.45rem; text-align: right; white-space: nowrap; }
th { background: var(--bg2); } td.text, th.text { text-align: left; }
th.sortable { cursor: pointer; user-select: none; } th.sortable::after { content: " ↕"; color: #8c959f; font-size: 0.8em; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
tr.recommended td { background: var(--rec); } tr.recommended td.variant { font-weight: 700; }
td.zero { color: var(--ok); font-weight: 700; } td.lost { color: var(--bad); font-weight: 600; }
tbody tr:hover td { outline: 1px solid #0969da55; }
.scroll { overflow-x: auto; }
table.verdicts td.causes { white-space: normal; min-width: 7rem; font-size: 0.85em; }
table.verdicts td.verdict small { display: block; font-weight: 400; }
table.verdicts small.ci { display: block; font-weight: 400; color: var(--muted); font-size: 0.8em; }
table.verdicts th { white-space: normal; vertical-align: bottom; } table.verdicts th { word-break: keep-all; }
.no-loss { color: var(--ok); font-weight: 600; } .loses-requests, .error { color: var(--bad); font-weight: 600; }
.incomplete { color: var(--warn); font-weight: 600; }
.badge { font-size: 0.8em; padding: 0.05rem 0.4rem; border-radius: 0.3rem; border: 1px solid currentColor; font-weight: 600; }
.badge.bad { color: var(--bad); } .badge.warn { color: var(--warn); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.05rem 1rem; margin: 0.4rem 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
dl.guide { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0.4rem 0; font-size: 0.92rem; }
dl.guide dt { font-weight: 600; white-space: nowrap; } dl.guide dd { margin: 0; max-width: 62rem; }
dl.guide dd.wide { grid-column: 1 / -1; background: var(--bg2); padding: 0.3rem 0.7rem; border-left: 3px solid var(--line); }
dl.scenarios dt { font-weight: 400; } dl.scenarios dt:target, dl.scenarios dt:target + dd { background: #fff8c5; }
.caveats { margin: 0.6rem 0; } .caveats p { max-width: 72rem; }
section.cell { border-top: 1px solid var(--line); margin-top: 1.5rem; content-visibility: auto; contain-intrinsic-size: auto 700px; }
section.cell:target { outline: 3px solid #0969da66; outline-offset: 4px; }
section.variant { border-left: 3px solid var(--line); padding-left: 0.9rem; margin-bottom: 1.5rem; }
pre { background: var(--bg2); padding: 0.5rem; overflow-x: auto; font-size: 0.82em; line-height: 1.35; }
pre.diff .add { color: #116329; background: #dafbe1; display: inline-block; width: 100%; }
pre.diff .del { color: #82071e; background: #ffebe9; display: inline-block; width: 100%; }
pre.diff .ctx { color: var(--muted); } pre.diff .gap { color: #8c959f; }
figure.tl { margin: 0.5rem 0 1rem; }
svg.timeline { display: block; font: 11px system-ui, "Noto Sans CJK JP", sans-serif; background: #fff; }
svg.timeline .grid { stroke: #eaeef2; } svg.timeline .zero { stroke: #1f2328; stroke-width: 1.5; }
svg.timeline .base { stroke: #8c959f; } svg.timeline .lane { stroke: #eaeef2; }
svg.timeline .tick { text-anchor: middle; fill: #57606a; } svg.timeline .ylab { text-anchor: end; fill: #57606a; }
svg.timeline .head { font-weight: 600; fill: #1f2328; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; } svg.timeline .pod { text-anchor: end; fill: #1f2328; font-family: ui-monospace, monospace; font-size: 10.5px; }
svg.timeline .gen { fill: #8c959f; font-size: 10px; } svg.timeline .gen.new { fill: #1a7f37; }
svg.timeline .code { font-size: 10px; font-weight: 700; fill: #1f2328; }
svg.timeline .routing { stroke: #0969da; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.timeline .hit { fill: transparent; } svg.timeline .hit:hover { fill: #0969da22; }
svg.timeline .none { text-anchor: middle; fill: #8c959f; }
svg.timeline .mark:hover { filter: drop-shadow(0 0 2px #0969da); }
.legend { font-size: 0.82rem; color: #1f2328; display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; margin: 0.2rem 0; }
.legend .sw { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em; border-radius: 2px; }
details { margin: 0.3rem 0; } summary { cursor: pointer; color: #0969da; }
ol.claims { padding-left: 1.6rem; } ol.claims > li { margin: 0.7rem 0; padding-left: 0.3rem; max-width: 72rem; }
ol.claims li::marker { font-weight: 700; } p.claim-text { margin: 0; font-weight: 600; }
.claim-verdict { display: inline-block; font-size: 0.8em; padding: 0 0.45rem; border-radius: 0.3rem; border: 1px solid currentColor; margin-right: 0.3rem; }
.claim-holds .claim-verdict { color: var(--ok); background: var(--rec); } .claim-nuance .claim-verdict { color: var(--warn); background: #fff8c5; }
.claim-fails .claim-verdict { color: var(--bad); background: #ffebe9; } .claim-open .claim-verdict { color: var(--muted); background: var(--bg2); }
ul.evidence { margin: 0.2rem 0; font-size: 0.92rem; } ul.evidence a.evidence { font-size: 0.85em; white-space: nowrap; }
p.measure { margin: 0.2rem 0; font-size: 0.9rem; } p.claim-tally { font-weight: 600; }
table.pods tr:target td { background: #fff8c5; }
nav.toc { font-size: 0.9rem; } nav.toc a { margin-right: 0.8rem; }
.change-worse { color: var(--bad); font-weight: 700; } .change-better { color: var(--ok); font-weight: 700; }
`;

/** Runs in <head> before anything is drawn: picks the language (saved choice, else the browser's), no flash. */
export const LANG_BOOT_SCRIPT = `(function(){var d=document.documentElement,l=null;try{l=localStorage.getItem('drainlab.lang')}catch(e){}
if(l!=='ja'&&l!=='en'){l=String(navigator.language||'').toLowerCase().indexOf('ja')===0?'ja':'en'}
d.classList.remove('lang-ja','lang-en');d.classList.add('lang-'+l);d.lang=l})();`;

/** Language buttons and sortable tables (any table with class "sortable"; cells sort by data-v, else text). */
export const PAGE_SCRIPT = `(function(){var d=document.documentElement;
function setLang(l){d.classList.remove('lang-ja','lang-en');d.classList.add('lang-'+l);d.lang=l;
try{localStorage.setItem('drainlab.lang',l)}catch(e){}
document.querySelectorAll('.langs button').forEach(function(b){b.classList.toggle('on',b.dataset.lang===l)})}
document.querySelectorAll('.langs button').forEach(function(b){b.addEventListener('click',function(){setLang(b.dataset.lang)})});
setLang(d.classList.contains('lang-ja')?'ja':'en');
document.querySelectorAll('table.sortable').forEach(function(t){var hs=t.querySelectorAll('thead th');
hs.forEach(function(th,i){if(!th.classList.contains('sortable'))return;th.addEventListener('click',function(){
var asc=th.getAttribute('aria-sort')!=='ascending';hs.forEach(function(o){o.removeAttribute('aria-sort')});
th.setAttribute('aria-sort',asc?'ascending':'descending');var tb=t.tBodies[0];var rows=Array.prototype.slice.call(tb.rows);
function key(r){var c=r.cells[i];var v=c.getAttribute('data-v');if(v===null)v=c.textContent;if(v==='')return -Infinity;var n=Number(v);return isNaN(n)?v:n}
rows.sort(function(a,b){var x=key(a),y=key(b);var r=typeof x==='number'&&typeof y==='number'?x-y:String(x).localeCompare(String(y));return asc?r:-r});
rows.forEach(function(r){tb.appendChild(r)})})})});
document.querySelectorAll('tr[data-href]').forEach(function(r){r.addEventListener('click',function(e){
if(e.target.closest('a'))return;location.hash=r.getAttribute('data-href')})});
function reveal(){var id=decodeURIComponent(location.hash.slice(1));var t=id&&document.getElementById(id);if(!t)return;
for(var p=t.parentElement;p;p=p.parentElement){if(p.tagName==='DETAILS')p.open=true}t.scrollIntoView({block:'center'})}
window.addEventListener('hashchange',reveal);reveal()})();`;

/** The JA/EN switch. */
export const LANG_BUTTONS =
  '<div class="langs" role="group" aria-label="Language / 言語"><button type="button" data-lang="ja">日本語</button>' +
  '<button type="button" data-lang="en">English</button></div>';

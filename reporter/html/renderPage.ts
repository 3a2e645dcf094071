import type { TimelinePage } from './pageModel';
import { PAGE_SCRIPT } from './pageScript';
import { PAGE_STYLE } from './pageStyle';

/**
 * Whatever the page may load: nothing from anywhere but itself. The browser enforces it, so a page
 * opened offline or from a CI artifact never reaches the network.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/**
 * One self-contained HTML page for `page`: the stylesheet and script inline, the data as one JSON
 * blob in a `<script type="application/json">` element, no network, CDN or external font. Every `<`
 * in the JSON is written `\u003c`, so no text of the trace (a log line reading `</script>`, say) can
 * end the blob early or open markup.
 */
export function renderTimelinePage(page: TimelinePage): string {
  const title = `${page.verdict === 'failed' ? '✕' : page.verdict === 'passed' ? '✓' : '○'} ${page.test} — ${page.file}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header id="header"></header>
<div id="controls"></div>
<div id="chart"></div>
<div id="tip"></div>
<section id="failures"></section>
<section><h2>Log search</h2><div id="results"></div></section>
<section class="legend muted">
<span><span class="swatch" style="background:#e53935;opacity:.4"></span>partition</span><span><span class="swatch" style="background:#6d4c41;opacity:.4"></span>blackhole</span><span><span class="swatch" style="background:#fb8c00;opacity:.4"></span>delay</span><span><span class="swatch" style="background:#8e24aa;opacity:.4"></span>drop</span><span><span class="swatch" style="background:#212121;opacity:.4"></span>crashed</span><span><span class="swatch" style="background:#78909c;opacity:.4"></span>left</span><span><span class="swatch" style="background:#1e88e5;opacity:.6"></span>in a barrier</span><span>→ message (✕ dropped, dashed: never received)</span><span>● log line</span><span style="color:#c62828">◆ failure</span>
<br>Times are ms since the test started on ${escapeHtml(page.roles[0]?.role ?? 'the lead')}; events linked by messages are drawn in causal (Lamport) order, so no receive appears before its send.
</section>
<script type="application/json" id="timeline-data">${jsonForScript(page)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** `value` as JSON that is safe inside a `<script>` element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

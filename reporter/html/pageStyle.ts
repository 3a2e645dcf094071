/** The HTML timeline's stylesheet, inlined in every page (no external fonts or files). */
export const PAGE_STYLE = `
:root { --fg: #1d2330; --muted: #667085; --line: #d0d5dd; --bg: #fff; --lane: #f7f8fa; --red: #c62828; --green: #2e7d32; --amber: #b26a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 12px 16px 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 16px; margin: 0 0 4px; }
.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; margin-right: 8px; vertical-align: 1px; }
.verdict.failed { background: var(--red); } .verdict.passed { background: var(--green); } .verdict.skipped { background: var(--amber); }
.muted { color: var(--muted); }
.row { display: flex; flex-wrap: wrap; gap: 6px 24px; margin-top: 6px; align-items: flex-start; }
table { border-collapse: collapse; } table.scroll { display: block; max-height: 92px; overflow: auto; } td, th { padding: 1px 10px 1px 0; text-align: left; vertical-align: top; } th { font-weight: 600; color: var(--muted); }
.status-passed { color: var(--green); } .status-failed, .status-terminated, .status-missing { color: var(--red); } .status-skipped { color: var(--amber); }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code.rerun { display: inline-block; background: #f2f4f7; padding: 2px 6px; border-radius: 4px; user-select: all; word-break: break-all; }
.notice { margin-top: 6px; padding: 4px 8px; background: #fff8e1; border: 1px solid #ffe0a3; border-radius: 4px; }
#controls { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; padding: 6px 16px; border-bottom: 1px solid var(--line); background: #fcfcfd; }
#controls label { white-space: nowrap; }
#controls details { position: relative; }
#controls details > div { position: absolute; z-index: 5; background: #fff; border: 1px solid var(--line); padding: 6px 8px; max-height: 300px; overflow: auto; min-width: 220px; box-shadow: 0 4px 12px rgba(0,0,0,.12); }
#controls input[type=search] { width: 220px; }
button { font: inherit; padding: 1px 8px; }
#chart { position: relative; padding: 0 0 0 0; user-select: none; }
#chart svg { display: block; cursor: grab; }
#chart svg.panning { cursor: grabbing; }
.lane-bg { fill: var(--lane); } .lane-bg.odd { fill: #eef0f4; }
.lane-label { font-weight: 600; font-size: 13px; }
.lane-status { font-size: 11px; }
.axis text { font-size: 11px; fill: var(--muted); } .axis line { stroke: var(--line); }
.phase-line { stroke: #98a2b3; stroke-dasharray: 4 3; } .phase-label { font-size: 11px; fill: #475467; }
.fault-window { fill-opacity: .22; stroke-opacity: .6; }
.fault-partition { fill: #e53935; stroke: #e53935; } .fault-blackhole { fill: #6d4c41; stroke: #6d4c41; }
.fault-delay { fill: #fb8c00; stroke: #fb8c00; } .fault-drop { fill: #8e24aa; stroke: #8e24aa; }
.fault-crash { fill: #212121; stroke: #212121; } .fault-leave { fill: #78909c; stroke: #78909c; }
.fault-label { font-size: 10px; fill: #3b0d0c; }
.barrier-span { fill: #1e88e5; fill-opacity: .55; } .barrier-span.outcome-failed { fill: var(--red); } .barrier-span.outcome-open { fill: #90a4ae; }
.barrier-label { font-size: 10px; fill: #0d47a1; }
.message-arrow { stroke: #475467; stroke-opacity: .75; fill: none; }
.message-arrow.bundle { stroke-opacity: .35; }
.message-arrow.dropped { stroke: var(--red); stroke-dasharray: 3 2; }
.message-arrow.lost { stroke: var(--amber); stroke-dasharray: 6 3; }
.drop-mark { stroke: var(--red); stroke-width: 2; }
.log-point { stroke: #fff; stroke-width: 1; fill: #1e88e5; }
.log-point.level-warn { fill: #f9a825; } .log-point.level-error { fill: var(--red); } .log-point.level-debug { fill: #98a2b3; } .log-point.level-node { fill: #00897b; }
.log-point.match { stroke: #111; stroke-width: 2; r: 6; } svg.searching .log-point:not(.match) { opacity: .15; }
.failure-marker { fill: var(--red); stroke: #fff; stroke-width: 1.5; } .failure-marker.consequence { fill: #ef9a9a; }
.failure-label { font-size: 11px; fill: var(--red); font-weight: 600; }
#tip { position: fixed; z-index: 10; pointer-events: none; max-width: 520px; background: #1d2330; color: #fff; padding: 4px 8px; border-radius: 4px; white-space: pre-wrap; font: 12px/1.35 ui-monospace, Menlo, Consolas, monospace; display: none; }
section { padding: 8px 16px; border-top: 1px solid var(--line); }
section h2 { font-size: 13px; margin: 0 0 6px; }
.failure pre { margin: 2px 0 8px; padding: 6px 8px; background: #fff5f5; border-left: 3px solid var(--red); white-space: pre-wrap; }
.failure.consequence pre { background: #fafafa; border-left-color: #ef9a9a; }
.failure.grouped { margin-left: 24px; }
.failure pre.code-frame { background: #f7f8fa; border-left-color: var(--line); }
.first-anomaly { margin: 6px 0 10px; font-family: ui-monospace, monospace; color: var(--amber); }
#results { max-height: 240px; overflow: auto; } #results div { cursor: pointer; padding: 1px 0; } #results div:hover { background: #f2f4f7; }
.legend span { margin-right: 12px; white-space: nowrap; } .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
`;

/** The report's only stylesheet: system fonts, light and dark, no external resources. */
export const STYLES = `
:root{--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--soft:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--err:#9a6700;--accent:#0969da;--ins:#dafbe1;--del:#ffebe9;--bar1:#0969da;--bar2:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--soft:#161b22;--pass:#3fb950;--fail:#f85149;--err:#d29922;--accent:#4493f8;--ins:#033a16;--del:#67060c;--bar1:#4493f8;--bar2:#a371f7}}
*{box-sizing:border-box}
body{margin:0;padding:16px 24px 48px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
.meta,.muted{color:var(--muted)}.meta span{margin-right:14px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{margin:2px 0;white-space:pre-wrap;word-break:break-word;max-height:16em;overflow:auto;background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:4px 6px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.verdict{border-radius:6px;padding:10px 14px;margin:12px 0;border:1px solid}.verdict.pass{border-color:var(--pass)}.verdict.fail{border-color:var(--fail)}
.verdict .word{font-weight:700;font-size:18px;margin-right:10px}.verdict.pass .word{color:var(--pass)}.verdict.fail .word{color:var(--fail)}
.verdict ul{margin:6px 0 0;padding-left:20px}
.chip{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;margin:1px 3px 1px 0;font-size:12px;background:var(--soft);color:var(--fg)}
button.chip{cursor:pointer;font-family:inherit}
.best{font-weight:700}
.charts{display:flex;flex-wrap:wrap;gap:16px;max-width:100%}.charts figure{margin:0;min-width:0;max-width:100%}.charts svg{max-width:100%;height:auto}.charts figcaption{font-weight:600;margin-bottom:2px}
svg text{fill:var(--fg);font-size:11px}svg .b1{fill:var(--bar1)}svg .b2{fill:var(--bar2)}svg .axis{stroke:var(--line)}
.cm td{text-align:right;min-width:38px}.cm td.diag{font-weight:700;outline:1px solid var(--pass);outline-offset:-2px}
.controls{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:center;margin:8px 0;padding:8px;background:var(--soft);border:1px solid var(--line);border-radius:6px}
.controls label{white-space:nowrap;max-width:100%}.controls label.grow{flex:1 1 200px;display:flex;gap:4px;align-items:center}.controls input[type=search]{width:100%;min-width:0}
input,select,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:2px 6px}
button{cursor:pointer}button:disabled{opacity:.5;cursor:default}
.controls select{max-width:14em;text-overflow:ellipsis}
.pager{display:flex;gap:8px;align-items:center;margin:6px 0}
.cid{font-weight:600;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
dl{margin:4px 0}dt{color:var(--muted);font-size:12px}dd{margin:0 0 4px}
.rec{border-left:3px solid var(--line);padding-left:6px;margin-bottom:8px}.rec.pass{border-color:var(--pass)}.rec.fail{border-color:var(--fail)}.rec.error{border-color:var(--err)}
.rec-head{font-size:12px;color:var(--muted)}
.st{font-weight:700}.st.pass{color:var(--pass)}.st.fail{color:var(--fail)}.st.error{color:var(--err)}
ul.tools{list-style:none;margin:2px 0;padding:0;font-size:12.5px}ul.grades{list-style:none;margin:2px 0;padding:0;font-size:12.5px}ul.grades li.fail .g{color:var(--fail)}ul.grades li.pass .g{color:var(--pass)}
.errmsg{color:var(--err);font-size:12.5px}
.chg{display:inline-block;font-size:11.5px;border-radius:3px;padding:0 5px;margin:1px 3px 1px 0;border:1px solid}.chg.newly-failing{color:var(--fail);border-color:var(--fail)}.chg.newly-passing{color:var(--pass);border-color:var(--pass)}.chg.added,.chg.removed{color:var(--muted);border-color:var(--line)}
.diff{white-space:pre-wrap;word-break:break-word;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;margin:2px 0}
.diff ins{background:var(--ins);text-decoration:none}.diff del{background:var(--del)}
.warn{color:var(--err)}
.scroll{overflow-x:auto;max-width:100%}
.small{font-size:12px}
bdi,.chip,.pill,.cid{unicode-bidi:isolate}
mark{background:#fff3b0;color:#1f2328;border-radius:2px}
button.linkish{border:0;background:none;padding:0;color:var(--accent);text-decoration:underline;cursor:pointer}
.loading{padding:12px;color:var(--muted)}.loading::before{content:"⏳ "}
.pager input.jump{width:5em}
ol.caselist{list-style:none;margin:6px 0;padding:0;border-top:1px solid var(--line)}
ol.caselist>li{border-bottom:1px solid var(--line)}
.case-head{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline;width:100%;text-align:left;border:0;border-radius:0;background:none;padding:6px 4px;cursor:pointer}
.case-head:hover{background:var(--soft)}li.case.open>.case-head{background:var(--soft)}
.case-head .cid{overflow-wrap:anywhere;min-width:0}.pills{display:inline-flex;flex-wrap:wrap;gap:3px}
.pill{display:inline-block;border-radius:9px;padding:0 7px;font-size:11.5px;border:1px solid var(--line);white-space:nowrap;max-width:100%;overflow:hidden;text-overflow:ellipsis}
.pill.pass{color:var(--pass);border-color:var(--pass)}.pill.fail{color:var(--fail);border-color:var(--fail)}.pill.error{color:var(--err);border-color:var(--err)}.pill.none{color:var(--muted)}
.pill.newly-failing{background:var(--del)}.pill.newly-passing{background:var(--ins)}
.excerpt{flex:1 1 100%;color:var(--muted);font-size:12.5px;overflow-wrap:anywhere;min-width:0}
.details{padding:6px 4px 12px;min-width:0}
.sbs{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,280px),1fr));gap:10px}.sbs .col{min-width:0}
.colhead{font-weight:600;margin:4px 0}
.explain{margin-top:6px;padding-top:4px;border-top:1px dashed var(--line)}.messages .role{font-size:12px;font-weight:600;color:var(--muted)}
.md{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:4px 8px;overflow-wrap:anywhere}.md p{margin:4px 0}.md .mdh{font-weight:700;margin:6px 0 2px}.md .mdlink{text-decoration:underline dotted}
.md blockquote{margin:4px 0;padding-left:8px;border-left:3px solid var(--line);color:var(--muted)}
.flaky{max-width:28em}
@media (max-width:600px){body{padding:10px 10px 32px}h1{font-size:19px}.meta span{display:block;margin:0}.controls{gap:8px}.controls label{white-space:normal}}
`;

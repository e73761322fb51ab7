export { collectHistory, historyOf, type HistoryPoint, type HistorySeries, type RunHistory } from './collect.js';
export { renderHistoryTable, sparkline } from './terminal.js';
export { renderHistoryHtml, HISTORY_REPORT_FILE } from './html.js';
export { writeHistory } from './write.js';

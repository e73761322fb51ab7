/** ids of report.html's two data blocks, shared by the writer and the page's script. */
/** The small block read first: report.json, the verdict, the data that explains regressions. */
export const HEAD_ELEMENT_ID = 'llm-eval-head';
/** The large block read after the first paint: the case rows and their string table. */
export const ROWS_ELEMENT_ID = 'llm-eval-data';

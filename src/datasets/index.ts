export { readDataset, readDatasetEntries, DATASET_EXTENSIONS, type DatasetEntry } from './read.js';
export { scanDataset, type ScanOptions, type ScanResult } from './validate.js';
export { datasetHash } from './fingerprint.js';
export { rowId } from './rowId.js';

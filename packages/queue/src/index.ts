export { CONVERT_QUEUE, createConvertQueue, createQueueEvents, defaultJobOptions } from './convert-queue.js';
export { UploadStore, type UploadStoreOptions } from './upload-store.js';
export { redisAcceptsWrites } from './write-probe.js';
export {
  ConvertJobDataSchema,
  parseJobData,
  parseJobResult,
  type ConvertJobData,
  type ConvertJobResult,
} from './convert-job.js';
export { waitUntilFinished } from './wait-until-finished.js';

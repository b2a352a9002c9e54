export {
  CONVERT_QUEUE,
  createConvertQueue,
  createQueueEvents,
  defaultJobOptions,
  imageKeyFor,
  loadImage,
  storeImage,
} from './convert-queue.js';
export {
  ConvertJobDataSchema,
  parseJobData,
  parseJobResult,
  type ConvertJobData,
  type ConvertJobResult,
} from './convert-job.js';
export { waitUntilFinished } from './wait-until-finished.js';

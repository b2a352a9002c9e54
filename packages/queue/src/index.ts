export { createRedis, redisOptions, type ConnectionRole } from './connection.js';
export {
  CONVERT_QUEUE,
  createConvertQueue,
  createQueueEvents,
  defaultJobOptions,
  imageKeyFor,
  jobIdFor,
  loadImage,
  storeImage,
  type ConvertJobData,
  type ConvertJobOptions,
  type ConvertJobResult,
} from './convert-queue.js';

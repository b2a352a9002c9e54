/** Redis keys of the shared monitoring data, under the fleet's QUEUE_PREFIX. */
export const monitorKeys = (prefix: string) => ({
  minute: (minute: number) => `${prefix}:mon:m:${minute}`,
  images: (hour: number) => `${prefix}:mon:img:${hour}`,
  types: `${prefix}:mon:types`,
  circuits: `${prefix}:mon:circuits`,
  alerts: `${prefix}:mon:alerts`,
  alertLock: `${prefix}:mon:alerts:lock`,
});

export const minuteOf = (ms: number) => Math.floor(ms / 60_000);
export const hourOf = (ms: number) => Math.floor(ms / 3_600_000);

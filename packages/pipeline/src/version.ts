/**
 * Bumped whenever the output for the same input and options may change. It is part of every cache
 * key and job id, so a new pipeline never serves results of an old one.
 */
export const PIPELINE_VERSION = '8';

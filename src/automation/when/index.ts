export { formatInZone, MAX_READ_CHARS, readWhen, type ReadWhenOptions, type WhenReading, WhenOptionsError } from './read-when.ts';

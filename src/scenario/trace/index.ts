// The trace of a run: its events (events.ts), the compact recorder the engine writes into
// and its decoder (recorder.ts), the byte encoding (codec.ts).
export * from './events';
export { Step, TraceCursor, TraceRecorder } from './recorder';

// The real-kernel oracle: scenario -> C -> QEMU (Debian 6.1, TCG) -> typed observations.
export * from './translate';
export * from './cpio';
export * from './results';
export * from './run';
export * from './compare';

export * from './train-step';
export * from './eval-step';
export * from './probes';

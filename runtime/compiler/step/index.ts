export * from './train-step';
export * from './eval-step';

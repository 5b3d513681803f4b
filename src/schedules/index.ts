export * from './spec';
export * from './manage';

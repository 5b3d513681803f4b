export { createLogger, parseLevel, type Fields, type Level, type Logger, type LoggerOptions } from './logger';
export { redact, redactText } from './redact';
export { installTemporalLogging, temporalLogger } from './temporal';

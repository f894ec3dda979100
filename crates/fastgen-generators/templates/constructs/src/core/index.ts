export * from './api/utils.js';

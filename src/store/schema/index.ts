export * from './businesses.js';
export * from './users.js';
export * from './contacts.js';
export * from './conversations.js';
export * from './agent-steps.js';
export * from './outbox.js';
export * from './catalog.js';

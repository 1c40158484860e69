// Shared by unit and end-to-end tests: a real HTTP server on 127.0.0.1.
export { startServer, type Handler, type TestServer } from '../e2e/harness/server';

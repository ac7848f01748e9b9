// Rollcall's Node.js client: ESM, no runtime dependencies, Node 20's built-in fetch.
export { RollcallClient } from './src/client.js';
export { RollcallError, CLIENT_CODES } from './src/errors.js';

// Prints the OpenAPI document without starting anything (`npm run openapi`): the portal's typed client is generated from it.
import { createApi, type ApiDeps } from './app.ts';
import { version } from '../platform/version.ts';

const app = createApi({ version } as ApiDeps);
const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Goldpath API', version } });
process.stdout.write(JSON.stringify(doc, null, 2) + '\n');

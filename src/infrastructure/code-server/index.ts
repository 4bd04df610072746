// The browser-IDE part of the local target: where code-server is installed, and how one is started, checked and stopped.
export { codeServerInstall, codeServerInstalled, CODE_SERVER_VERSION, IdeNotInstalledError, type CodeServerInstall } from './install.ts';
export { ideAnswers, ideLastActivity, startIde, stopIde, writeIdeFiles, IDE_HEARTBEAT, IDE_SETTINGS, SESSION_COOKIE, type IdeSpec } from './server.ts';
export { isAlive } from '../processes/index.ts';

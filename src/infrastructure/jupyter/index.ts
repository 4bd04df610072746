// The notebook-server part of the local target: start, find again, check and stop Jupyter servers.
export { clientHost, findFreePort, isProcessAlive, notebookAnswers, startNotebook, stopNotebook } from './notebook.ts';
export type { NotebookProcess, NotebookSpec, StartOptions } from './notebook.ts';
export { startStandby, type Standby, type StandbySpec, type Claim } from './standby.ts';
export { runCell } from './kernel-client.ts';
export { notebookLastActivity } from './activity.ts';
export type { CellResult, NotebookAuth } from './kernel-client.ts';

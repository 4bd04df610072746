// Workspace processes: alive or not, what they run, their trees, and ending them whole.
export { commandLine, descendants, isAlive, procStat, signal, stopTree } from './process-tree.ts';

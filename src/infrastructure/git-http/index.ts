export { createGitHttpHandler } from './handler.ts';
export type { RepoAuthorizer, GitHttpOptions } from './handler.ts';
export { createBareRepo, removeRepo, repoExists, cloneRepo, isValidRepoName, readRepoFile } from './repos.ts';

/**
 * The stable address of a resource's web UI or service: through the platform's own port, the same
 * across stop, start and restart, whatever port or socket the workspace happens to use now.
 */
export function workspaceUrl(publicUrl: string, environmentId: string, resourceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/w/${encodeURIComponent(environmentId)}/${encodeURIComponent(resourceId)}/`;
}

import { useEffect, useState } from 'react';
import { Alert, Anchor, Code, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { getUntyped, type Environment, type Resource } from '../api/client.ts';
import { ago } from '../lib/format.ts';

/** GET /api/v1/environments/{id}/resources/{resourceId}/builds (src/domain/build/schema.ts). */
interface Build {
  id: string;
  commit: string;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  log: string;
}

/**
 * The last build of a resource that builds on push (a website preview, a service): when it failed,
 * its error line and its log, and which version is still served.
 */
export function BuildStatus({ env, resource: r }: { env: Environment; resource: Resource }) {
  const [build, setBuild] = useState<Build | null>(null);
  const [showLog, setShowLog] = useState(false);
  const served = typeof r.outputs.commit === 'string' ? r.outputs.commit : '';
  // The resource's outputs change with every finished build (the live stream brings them): read again then.
  useEffect(() => {
    let stale = false;
    getUntyped<{ builds: Build[] }>(`/api/v1/environments/${encodeURIComponent(env.id)}/resources/${encodeURIComponent(r.id)}/builds?limit=1`)
      .then((b) => !stale && setBuild(b.builds[0] ?? null), () => {});
    return () => {
      stale = true;
    };
  }, [env.id, r.id, r.outputs.buildStatus, served, r.updatedAt]);
  if (!build) return null;
  if (build.status !== 'failed') {
    return (
      <Group gap={6} data-build={build.status}>
        <IconCircleCheck size={16} color="var(--mantine-color-teal-8)" aria-hidden />
        <Text size="xs" c="dimmed">
          {build.status === 'running' ? `Building ${build.commit.slice(0, 12)}…` : `Built ${build.commit.slice(0, 12)} ${ago(build.finishedAt ?? build.startedAt)}${build.durationMs !== null ? ` in ${(build.durationMs / 1000).toFixed(1)} s` : ''}`}
        </Text>
      </Group>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} title={`Build failed at ${build.commit.slice(0, 12)}`} data-build="failed">
      <Stack gap={6}>
        <Text size="sm" data-build-error>
          {build.error ?? 'See the log.'}
        </Text>
        <Text size="xs">{served ? `Still serving the last good build, ${served.slice(0, 12)}.` : 'Nothing is served until a build succeeds.'}</Text>
        <Anchor component="button" type="button" size="xs" ta="left" onClick={() => setShowLog((s) => !s)} aria-expanded={showLog}>
          {showLog ? 'Hide the build log' : 'Show the build log'}
        </Anchor>
        {showLog && (
          <ScrollArea.Autosize mah={280} type="auto" tabIndex={0} aria-label={`Build log of ${r.id} at ${build.commit.slice(0, 12)}`}>
            <Code block data-build-log style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {build.log || '(the build printed nothing)'}
            </Code>
          </ScrollArea.Autosize>
        )}
      </Stack>
    </Alert>
  );
}

import { ThemeIcon } from '@mantine/core';
import { IconBrandGit, IconBucket, IconDatabase, IconNotebook, IconCode, IconSparkles, IconServer, IconClock, IconBox, IconTable, IconWorld } from '@tabler/icons-react';

const byType: Record<string, { icon: typeof IconBox; color: string; label: string; purpose: string }> = {
  'git-repo': { icon: IconBrandGit, color: 'orange', label: 'Git repository', purpose: 'code repository' },
  notebook: { icon: IconNotebook, color: 'grape', label: 'Jupyter notebook', purpose: 'Jupyter notebook' },
  ide: { icon: IconCode, color: 'indigo', label: 'IDE', purpose: 'browser IDE' },
  bucket: { icon: IconBucket, color: 'cyan', label: 'S3 bucket', purpose: 'storage bucket' },
  warehouse: { icon: IconTable, color: 'teal', label: 'Warehouse access', purpose: 'data warehouse access' },
  database: { icon: IconDatabase, color: 'blue', label: 'Database', purpose: 'PostgreSQL database' },
  llm: { icon: IconSparkles, color: 'pink', label: 'LLM key', purpose: 'LLM gateway key' },
  service: { icon: IconServer, color: 'violet', label: 'Service', purpose: 'running service' },
  // 'Preview', so that "Open Preview" is the name of the button the environment page gives it.
  'site-preview': { icon: IconWorld, color: 'green', label: 'Preview', purpose: 'website preview' },
  schedule: { icon: IconClock, color: 'lime', label: 'Schedule', purpose: 'schedule' },
};

export function resourceInfo(type: string) {
  return byType[type] ?? { icon: IconBox, color: 'gray', label: type, purpose: type };
}

export function ResourceIcon({ type, size = 36 }: { type: string; size?: number }) {
  const info = resourceInfo(type);
  const Icon = info.icon;
  return (
    <ThemeIcon size={size} radius="md" variant="light" color={info.color} aria-hidden>
      <Icon size={Math.round(size * 0.58)} />
    </ThemeIcon>
  );
}

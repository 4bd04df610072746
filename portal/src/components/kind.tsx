import { Badge, ThemeIcon } from '@mantine/core';
import {
  IconApi,
  IconApps,
  IconBox,
  IconBrain,
  IconBuildingCommunity,
  IconDatabase,
  IconFolders,
  IconMapPin,
  IconPackage,
  IconRoute,
  IconSitemap,
  IconStack2,
  IconTable,
  IconUser,
  IconUsersGroup,
  IconVectorTriangle,
} from '@tabler/icons-react';

/** One look per catalog kind, used in lists, badges and the relation graph. */
export const kindLook: Record<string, { color: string; icon: typeof IconBox; label: string }> = {
  component: { color: 'blue', icon: IconApps, label: 'Component' },
  api: { color: 'violet', icon: IconApi, label: 'API' },
  resource: { color: 'cyan', icon: IconDatabase, label: 'Resource' },
  system: { color: 'indigo', icon: IconSitemap, label: 'System' },
  domain: { color: 'grape', icon: IconBuildingCommunity, label: 'Domain' },
  group: { color: 'orange', icon: IconUsersGroup, label: 'Group' },
  user: { color: 'yellow', icon: IconUser, label: 'User' },
  location: { color: 'gray', icon: IconMapPin, label: 'Location' },
  dataset: { color: 'teal', icon: IconTable, label: 'Dataset' },
  dataproduct: { color: 'green', icon: IconPackage, label: 'Data product' },
  featureview: { color: 'lime', icon: IconVectorTriangle, label: 'Feature view' },
  model: { color: 'pink', icon: IconBrain, label: 'Model' },
  goldenpath: { color: 'gold', icon: IconRoute, label: 'Golden path' },
  environment: { color: 'ink', icon: IconStack2, label: 'Environment' },
};
const other = { color: 'gray', icon: IconFolders, label: '' };
export const lookOf = (kind: string | null | undefined) => kindLook[(kind ?? '').toLowerCase()] ?? { ...other, label: kind ?? 'Unknown' };

export function KindBadge({ kind, size = 'sm' }: { kind: string; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const l = lookOf(kind);
  const Icon = l.icon;
  return (
    <Badge size={size} variant="light" color={l.color} leftSection={<Icon size={12} />} data-kind={kind}>
      {l.label || kind}
    </Badge>
  );
}

export function KindIcon({ kind, size = 36 }: { kind: string; size?: number }) {
  const l = lookOf(kind);
  const Icon = l.icon;
  return (
    <ThemeIcon size={size} radius="md" variant="light" color={l.color} aria-hidden>
      <Icon size={Math.round(size * 0.55)} stroke={1.7} />
    </ThemeIcon>
  );
}

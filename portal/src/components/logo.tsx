import { Group, Text } from '@mantine/core';

export function Logo({ dark = false }: { dark?: boolean }) {
  return (
    <Group gap={10} wrap="nowrap">
      <svg width="30" height="30" viewBox="0 0 32 32" aria-hidden>
        <rect width="32" height="32" rx="8" fill={dark ? '#1b2140' : '#2b3566'} />
        <path d="M7 23c5-1 8-4 10-8s5-6 8-6" stroke="#f2b632" strokeWidth="3.2" fill="none" strokeLinecap="round" />
        <circle cx="25" cy="9" r="2.6" fill="#f2b632" />
      </svg>
      <Text fw={700} size="lg" c={dark ? 'ink.9' : 'white'} style={{ letterSpacing: '-0.01em' }}>
        Goldpath
      </Text>
    </Group>
  );
}

import type { ReactNode } from 'react';
import { Group, Kbd, Text, UnstyledButton, VisuallyHidden, type MantineBreakpoint } from '@mantine/core';
import { useHotkeys, useOs } from '@mantine/hooks';

/**
 * A header button that opens something, with its keyboard shortcut (mod+`shortcut`) bound and
 * shown ("Search Ctrl K"); on a phone, where only the icon shows, it is named by `hiddenLabel`.
 */
export function ShortcutButton(props: {
  icon: ReactNode;
  label: string;
  hiddenLabel: string;
  shortcut: string;
  onOpen: () => void;
  testId: string;
  visibleFrom?: MantineBreakpoint;
}) {
  const os = useOs();
  const mac = os === 'macos' || os === 'ios';
  useHotkeys([[`mod+${props.shortcut}`, props.onOpen]], []); // no element ignored: the shortcut works while typing in a field too
  return (
    <UnstyledButton onClick={props.onOpen} className="gp-search-button" aria-keyshortcuts={`Control+${props.shortcut} Meta+${props.shortcut}`}
      data-testid={props.testId} visibleFrom={props.visibleFrom}>
      <Group gap={8} wrap="nowrap">
        {props.icon}
        <VisuallyHidden hiddenFrom="md">{props.hiddenLabel}</VisuallyHidden>
        <Text size="sm" visibleFrom="md">
          {props.label}
        </Text>
        <Kbd size="xs" visibleFrom="md">
          {mac ? '⌘' : 'Ctrl'} {props.shortcut}
        </Kbd>
      </Group>
    </UnstyledButton>
  );
}

import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link } from 'wouter';
import { EmptyState } from '../components/states.tsx';

export function NotFoundPage() {
  return (
    <EmptyState icon={<IconMapOff size={30} />} title="This page does not exist" action={<Button component={Link} href="/">Browse golden paths</Button>}>
      The link may be old, or the address mistyped. Golden paths, your environments and the catalog are in the menu.
    </EmptyState>
  );
}

import { Button, Card, Code } from '@mantine/core';
import { Link } from 'wouter';
import type { ReactNode } from 'react';
import { EmptyState } from './states.tsx';

/** For pages whose API this platform does not serve yet (it answered 404). */
export function NotAvailableYet({ icon, what, endpoint, children }: { icon: ReactNode; what: string; endpoint: string; children: ReactNode }) {
  return (
    <Card>
      <EmptyState
        icon={icon}
        title={`${what} is not available on this platform yet`}
        action={
          <Button component={Link} href="/" variant="light">
            Browse golden paths meanwhile
          </Button>
        }
      >
        {children} This page lights up by itself once the platform serves <Code>{endpoint}</Code>: update Goldpath and reload.
      </EmptyState>
    </Card>
  );
}

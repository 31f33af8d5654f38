export { Button, type ButtonProps } from './button.tsx';
export { useConfirm } from './confirm.tsx';
export { Dialog, type DialogProps } from './dialog.tsx';
export { Alert, Badge, Card, EmptyState, Loading, SecretOnce } from './feedback.tsx';
export { SelectField, TextField } from './field.tsx';
export { NodeShell, type NodeShellProps } from './node-shell.tsx';
export { Page, type PageProps } from './page.tsx';

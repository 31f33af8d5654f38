import { SelectField, TextField } from '@tripwire/ui';
import { actionLabel } from './labels';

export interface Filters {
  workflowId: string;
  queue: string;
  error: string;
  state: 'open' | 'replayed' | 'discarded' | 'all';
}

export const NO_FILTERS: Filters = { workflowId: '', queue: '', error: '', state: 'open' };

export function DeadLetterFilters({
  value,
  onChange,
  workflows,
  queues,
}: {
  value: Filters;
  onChange(next: Filters): void;
  workflows: { id: string; name: string }[];
  queues: string[];
}) {
  return (
    <search aria-label="Filter dead letters" className="inline-form filters">
      <SelectField
        label="Show"
        value={value.state}
        onChange={(e) => onChange({ ...value, state: e.target.value as Filters['state'] })}
        options={[
          { value: 'open', label: 'Needs attention' },
          { value: 'replayed', label: 'Replayed' },
          { value: 'discarded', label: 'Discarded' },
          { value: 'all', label: 'All' },
        ]}
      />
      <SelectField
        label="Workflow"
        value={value.workflowId}
        onChange={(e) => onChange({ ...value, workflowId: e.target.value })}
        options={[{ value: '', label: 'All workflows' }, ...workflows.map((w) => ({ value: w.id, label: w.name }))]}
      />
      <SelectField
        label="Action"
        value={value.queue}
        onChange={(e) => onChange({ ...value, queue: e.target.value })}
        options={[{ value: '', label: 'All actions' }, ...queues.map((q) => ({ value: q, label: actionLabel(q) }))]}
      />
      <TextField
        label="Error contains"
        type="search"
        placeholder="503, timeout…"
        value={value.error}
        onChange={(e) => onChange({ ...value, error: e.target.value })}
      />
    </search>
  );
}

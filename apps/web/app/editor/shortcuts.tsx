import { Dialog } from '@tripwire/ui';

export const SHORTCUTS: [keys: string, what: string][] = [
  ['Ctrl / ⌘ + Z', 'Undo'],
  ['Ctrl / ⌘ + Shift + Z, Ctrl + Y', 'Redo'],
  ['Ctrl / ⌘ + C, Ctrl / ⌘ + V', 'Copy and paste the selected nodes'],
  ['Delete, Backspace', 'Delete the selected nodes or connections'],
  ['Tab, then Enter', 'Move between nodes on the canvas and select one'],
  ['Arrow keys', 'Move the selected node'],
  ['Enter on a palette item', 'Add that node under the selected one, connected to it'],
  ['Escape', 'Clear the selection'],
  ['?', 'Show these shortcuts'],
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <table className="table shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

// Which stage may follow which, mirroring `Stage::can_move_to` in crates/core so the form
// offers only the moves the core will accept (the core still checks).

import type { Stage } from '../ipc/types';

export function canMove(from: Stage, to: Stage): boolean {
  if (from === 'completed' || from === 'withdrawn') return false;
  if (to === 'withdrawn') return true;
  const next: Partial<Record<Stage, Stage[]>> = {
    idea: ['discussion', 'application'],
    discussion: ['application'],
    application: ['selected', 'rejected'],
    rejected: ['idea'],
    selected: ['implementation'],
    implementation: ['completed'],
  };
  return next[from]?.includes(to) ?? false;
}

import { actionLog } from '@tripwire/rules';
import { createLogExecutor } from './action-log.ts';
import { defineExecutor } from './executors.ts';

export default defineExecutor(actionLog, (deps) => createLogExecutor(deps.logger));

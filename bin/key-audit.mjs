#!/usr/bin/env node
// The installed `key-audit` command. tsx is resolved next to this package (not in the caller's working
// directory, as `node --import tsx` would), so the command works from anywhere after `npm link`.
import { register } from 'tsx/esm/api';

register();
await import('./key-audit.ts');

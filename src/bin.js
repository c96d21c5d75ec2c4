#!/usr/bin/env -S node --max-semi-space-size=32
// The `chatcrm` executable: TypeScript sources run through tsx's loader, no build step. Node's
// young generation gets 32 MB semi-spaces (16 by default): a bot allocates about 150 KB per
// update it handles, and with the default the collector took 1.7 times as long (see README).
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');

#!/usr/bin/env node
// Entry point of the `nas-studio` command: the bundled CLI (built by `npm run build`).
require('../dist/cli.js');

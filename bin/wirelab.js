#!/usr/bin/env node
// The `wirelab` command: runs the TypeScript engine directly (through tsx), so the CLI, browser
// mode and the Electron app always run the same code.
'use strict'
const path = require('node:path')
const { register } = require('tsx/cjs/api')
register()
require(path.join(__dirname, '..', 'src', 'main', 'cli.ts')).runCli()

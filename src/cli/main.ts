#!/usr/bin/env node
import { colorWanted } from "../render/style.js";
import { buildCli } from "./cli.js";

const cli = await buildCli({ colors: colorWanted(process.stdout, process.env) });
await cli.runExit(process.argv.slice(2));

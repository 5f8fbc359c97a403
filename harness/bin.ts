// Entry point of the `rehearse` executable (bin/rehearse.js loads the compiled form).
import { hideBin } from 'yargs/helpers';
import { main } from './cli.js';

process.exitCode = await main(hideBin(process.argv));

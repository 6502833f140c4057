// The nodejs-target tarball, loaded with an ESM import.
import * as m from 'manjian';
import checks from './checks.cjs';
checks.define('import', m);

// The nodejs-target tarball, loaded with require().
'use strict';
require('./checks.cjs').define('require', require('manjian'));

#!/bin/sh
# The app decides how it starts; pywarp runs this script as it is.
cd public && exec python -m http.server --bind "${PYWARP_HOST:-0.0.0.0}" "${PORT:-8080}"

"""Static files in production: hashed names (cached for a year), pre-compressed by WhiteNoise.

Django's manifest storage rewrites the ``import … from "./map.js"`` of ES modules only when
asked to; without it a module imports the unhashed file, which cannot be cached for long.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True

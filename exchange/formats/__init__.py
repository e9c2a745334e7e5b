"""One module per format, each reading a file into records (and writing ours, where it can)."""

from . import datainclusion, gogocarto, tabular

FORMATS = {
    "gogocarto": gogocarto.read,
    "data-inclusion": datainclusion.read,
    "csv": tabular.read,
}


def read(format, content, mapping=None):
    """``(records, file errors, licence)`` of ``content`` (bytes) in ``format``."""
    if format == "csv":
        return tabular.read(content, mapping)
    return FORMATS[format](content)

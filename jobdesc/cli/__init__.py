"""The ``jobdesc`` command line: click commands, one call into the core each, and the Russian layer
over click. The only package that knows click.
"""

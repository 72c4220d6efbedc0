"""Every touch of the disk: reading project files (the one door), atomic writing, the disk cache.

Imports only :mod:`jobdesc.errors`.
"""

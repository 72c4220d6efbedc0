"""The people around the documents: staff holding each position, staff import, acknowledgments.

Imports :mod:`jobdesc.editions`, :mod:`jobdesc.project` and below.
"""

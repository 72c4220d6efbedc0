"""Writing the outputs: the batch over a project (manifest, incremental, worker processes), one
document's files, PDF through LibreOffice; what a document is made from, as digests (inputs: the
incremental build's and ``check``'s memory).

Imports :mod:`jobdesc.documents` and below.
"""

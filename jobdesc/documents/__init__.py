"""What a project yields: the plan of output files, the composed documents (copies, «Изменения»,
reference text), orders and redlines.

Imports :mod:`jobdesc.render`, :mod:`jobdesc.people`, :mod:`jobdesc.editions` and below.
"""
